import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { systemTopics } from '../db/schema/index.js'
import { findTopic } from '../db/repositories/relay.js'
import type { Destination } from '../delivery/destination.js'
import type { DomainDeps } from './deps.js'
import { queueOnboardingText } from './onboarding/system-topic.js'
import { staffGroupOf, textsOf, type ProjectRuntime } from './project-runtime.js'

/** One alarm per group per hour is enough to get someone to fix the bot's rights. */
const ALARM_INTERVAL_MS = 60 * 60 * 1000

/**
 * When each group last raised an alarm, per app. Kept in memory on purpose: after a restart, or
 * in a second process, one more alarm may go out, which is harmless for an alarm.
 */
export class GroupAlarms {
  private readonly lastAlarmAt = new Map<string, number>()

  /**
   * True when no alarm of this kind was raised for this group within the last hour (and records
   * this one). Kinds are apart: a long backlog does not silence a bot that lost its rights.
   */
  claim(chatId: number, kind: 'rights' | 'backlog' | 'assistant', now: number): boolean {
    const key = `${kind}:${chatId}`
    const last = this.lastAlarmAt.get(key)
    if (last !== undefined && now - last < ALARM_INTERVAL_MS) return false
    this.lastAlarmAt.set(key, now)
    return true
  }
}

/** The chat an outbox destination points into (see `delivery/destination.ts`). */
export async function chatOfDestination(db: DbOrTx, destination: Destination | undefined): Promise<number | undefined> {
  if (destination?.kind === 'chat') return destination.chatId
  if (destination?.kind === 'private_chat') return destination.userId
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

/**
 * A group's backlog passed `delivery.coalesceAfterMinutes`: one alarm per group per hour in the
 * home group's Onboarding topic (through the outbox), with the backlog and the config key of the
 * role's pool, the one remedy (each bot of a pool has its own budget in the group).
 */
export async function alarmGroupBacklog(deps: DomainDeps, project: ProjectRuntime, chatId: number, minutes: number): Promise<void> {
  const group = staffGroupOf(project, chatId)
  if (!group || !deps.alarms.claim(chatId, 'backlog', deps.clock.now().getTime())) return
  const bots = project.bots[group.role]?.length ?? 1
  const log = { projectId: project.id, chatId, minutes, bots }
  deps.logger.warn(log, 'ALARM: a group has a long backlog; text copies are being combined')
  // The alarm must not hold up the copies: a failure to queue it is logged, not thrown to the sender.
  await queueOnboardingText(deps.db, project, textsOf(project).staff('backlogAlarm', { group: group.title, minutes, role: group.role, project: project.config.key, bots })).then(
    () => deps.notify(),
    (error: unknown) => deps.logger.error({ ...log, err: error }, 'could not queue the backlog alarm'),
  )
}
