import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { systemTopics } from '../db/schema/index.js'
import { findTopic } from '../db/repositories/relay.js'
import type { Destination } from '../delivery/destination.js'
import { staffGroupOf, type ProjectRuntime } from './project-runtime.js'

/** One alarm per group per hour is enough to get someone to fix the bot's rights. */
const ALARM_INTERVAL_MS = 60 * 60 * 1000

/**
 * When each group last raised an alarm, per app. Kept in memory on purpose: after a restart, or
 * in a second process, one more alarm may go out, which is harmless for an alarm.
 */
export class GroupAlarms {
  private readonly lastAlarmAt = new Map<number, number>()

  /** True when no alarm was raised for this group within the last hour (and records this one). */
  claim(chatId: number, now = Date.now()): boolean {
    const last = this.lastAlarmAt.get(chatId)
    if (last !== undefined && now - last < ALARM_INTERVAL_MS) return false
    this.lastAlarmAt.set(chatId, now)
    return true
  }
}

/** The chat an outbox destination points into (see `delivery/destination.ts`). */
export async function chatOfDestination(db: DbOrTx, destination: Destination | undefined): Promise<number | undefined> {
  if (destination?.kind === 'chat') return destination.chatId
  if (destination?.kind === 'topic') return (await findTopic(db, destination.topicId))?.chatId
  if (destination?.kind === 'system_topic') {
    const [row] = await db.select({ chatId: systemTopics.chatId }).from(systemTopics).where(eq(systemTopics.id, destination.systemTopicId))
    return row?.chatId
  }
  return undefined
}

/** The configured title of a staff group; undefined for any other chat (a client's, say). */
export function groupTitle(project: ProjectRuntime, chatId: number): string | undefined {
  return staffGroupOf(project, chatId)?.title
}
