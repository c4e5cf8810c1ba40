import { and, eq } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { topics } from '../db/schema/index.js'
import type { Topic } from './customers.js'
import { enqueueTo } from './enqueue-to.js'
import type { InboundMessage } from './inbound.js'
import { textsOf, type ProjectRuntime } from './project-runtime.js'

const DAY_MS = 86_400_000

/**
 * A person closed or reopened a customer's topic in Telegram. Staff bots may still post in a
 * closed topic (telegram-facts "Forum topics"), so nobody would notice it: the listening bot's
 * forum_topic_closed / forum_topic_reopened service message is the only news of it; the next
 * client message reopens it. For the CR topic the conversation follows (resolved, reopened: see
 * `conversation/resolve.ts`, which calls this). Retired topics keep their state.
 * (The service's own closes and reopens are recorded where they are queued: no bot is told of them.)
 */
export async function recordTopicChangeByHand(db: DbOrTx, topic: Topic, message: InboundMessage): Promise<'closed' | 'reopened' | 'unchanged'> {
  const change = message.forum_topic_closed ? ('closed' as const) : message.forum_topic_reopened ? ('reopened' as const) : undefined
  if (!change) return 'unchanged'
  const [from, to] = change === 'closed' ? (['open', 'closed'] as const) : (['closed', 'open'] as const)
  const [result] = await db
    .update(topics)
    .set({ state: to })
    .where(and(eq(topics.id, topic.id), eq(topics.state, from)))
  return result.affectedRows ? change : 'unchanged'
}

/** The one-line header that says why a closed topic opened again. */
export function reopenHeader(project: ProjectRuntime, closedSince: Date, now: Date): string {
  const days = Math.floor((now.getTime() - closedSince.getTime()) / DAY_MS)
  return textsOf(project).staff('topicReopened', { days: Math.max(0, days) })
}

/**
 * A client wrote to a customer whose topic is closed (for idleness, or by a person as resolved):
 * reopen it and say why, on the topic's destination, so both land before the client's message.
 * The guarded UPDATE makes this happen once even if two messages race.
 */
export async function reopenClosedTopic(tx: DbOrTx, project: ProjectRuntime, topic: Topic, now: Date): Promise<void> {
  const [reopened] = await tx
    .update(topics)
    .set({ state: 'open' })
    .where(and(eq(topics.id, topic.id), eq(topics.state, 'closed')))
  if (reopened.affectedRows === 0) return
  const address = { kind: 'topic', topic } as const
  await enqueueTo(tx, project, address, { type: 'reopen_topic', topicId: topic.id })
  await enqueueTo(tx, project, address, { type: 'text', target: { kind: 'topic', topicId: topic.id }, text: reopenHeader(project, topic.lastActivityAt ?? topic.updatedAt, now) })
}
