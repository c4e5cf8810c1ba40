import { and, asc, eq, gte } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { messages, relayLinks } from '../../db/schema/index.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import type { Topic } from '../customers.js'
import { customerName, type Customer } from '../customers.js'
import { staffGroups, staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { enqueueManyTo, INSERT_CHUNK, routeOf } from '../enqueue-to.js'
import { touchTopic } from '../idle-topics.js'
import { notHeldByPolicy } from '../relay/holds.js'
import { topicVariants } from '../relay/variants.js'

export interface ReplayLimits {
  lastMessages?: number
  lastDays?: number
}

/** The customer's conversation to replay, oldest first (deleted messages, and held ones not yet relayed, left out: before assignment or by a relay policy). */
export async function historyToReplay(db: DbOrTx, customerId: number, limits: ReplayLimits, now: Date): Promise<MessageRow[]> {
  const since = limits.lastDays ? new Date(now.getTime() - limits.lastDays * 86_400_000) : undefined
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.customerId, customerId), eq(messages.deleted, false), eq(messages.held, false), notHeldByPolicy(), since ? gte(messages.createdAt, since) : undefined))
    .orderBy(asc(messages.id))
  return limits.lastMessages ? rows.slice(-limits.lastMessages) : rows
}

/** "↩ Zoe Quinn · 2026-11-21 14:02 UTC" or "↩ Alice · CS · 2026-11-21 14:05 UTC (internal note)": who wrote it, and when. */
export function replayLabel(project: ProjectRuntime, customer: Customer, message: MessageRow): string {
  const date = new Date(((JSON.parse(message.raw) as { date?: number }).date ?? 0) * 1000 || message.createdAt.getTime())
  const t = textsOf(project)
  const when = t.staff('utcStamp', { stamp: `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)}` })
  if (message.origin === 'client') return t.staff('contextClientLabel', { name: customerName(customer), time: when })
  const label = staffGroups(project).find((g) => g.role === message.senderRole)?.label ?? message.senderRole ?? t.staff('staffLower')
  const name = staffMember(project, message.senderUserId)?.name ?? t.staff('staffCapital')
  return t.staff('replayStaffLabel', { name, label, time: when, note: message.internalNote ? 'yes' : 'no' })
}

/**
 * Queues the history into a new topic as labelled copies (kind 'replay'), recorded like any
 * relay so replies, edits and reactions on old messages reach the new copies; a copy carries the
 * variant the message's topic copies had (`topicVariants`). The links and
 * their jobs go in multi-row inserts (a few statements for 200 messages, so the move's
 * transaction stays short); album parts need not wait for siblings (the history is complete).
 * Returns the outbox id of the last row, so cleanup can wait for the replay to be delivered.
 */
export async function queueHistoryReplay(tx: DbOrTx, project: ProjectRuntime, customer: Customer, topic: Topic, history: MessageRow[], now: Date): Promise<number | undefined> {
  if (history.length === 0) return undefined
  const address = { kind: 'topic', topic } as const
  const { botId } = routeOf(project, address, { stream: 'replay' })
  for (let i = 0; i < history.length; i += INSERT_CHUNK) {
    const chunk = history.slice(i, i + INSERT_CHUNK)
    const variants = await topicVariants(
      tx,
      project.id,
      chunk.map((message) => message.id),
    )
    await tx.insert(relayLinks).values(
      chunk.map((message) =>
        projectRow(relayLinks, project.id, {
          messageId: message.id,
          topicId: topic.id,
          chatId: topic.chatId,
          botId,
          kind: 'replay' as const,
          header: replayLabel(project, customer, message),
          variant: variants.get(message.id) ?? null,
        }),
      ),
    )
  }
  // The topic is new in this transaction: its replay links are exactly these.
  const links = await tx
    .select({ id: relayLinks.id, messageId: relayLinks.messageId })
    .from(relayLinks)
    .where(inProject(relayLinks, project.id, eq(relayLinks.topicId, topic.id), eq(relayLinks.kind, 'replay')))
  const linkOf = new Map(links.map((link) => [link.messageId, link.id]))
  const jobs = history.map((message) => {
    const linkId = linkOf.get(message.id)!
    return message.mediaGroupId ? { type: 'relay_album' as const, firstLinkId: linkId, mediaGroupId: message.mediaGroupId } : { type: 'relay' as const, linkId }
  })
  const last = await enqueueManyTo(tx, project, address, jobs, { stream: 'replay' })
  await touchTopic(tx, topic.id, now)
  return last
}
