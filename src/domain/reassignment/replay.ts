import { and, asc, eq, gte } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { messages } from '../../db/schema/index.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import type { Topic } from '../customers.js'
import { customerName, type Customer } from '../customers.js'
import { staffGroups, staffMember, type ProjectRuntime } from '../project-runtime.js'
import { queueCopy, topicRoute } from '../routing.js'

export interface ReplayLimits {
  lastMessages?: number
  lastDays?: number
}

/** The customer's conversation to replay, oldest first (deleted messages, and held ones not yet relayed, left out). */
export async function historyToReplay(db: DbOrTx, customerId: number, limits: ReplayLimits, now = new Date()): Promise<MessageRow[]> {
  const since = limits.lastDays ? new Date(now.getTime() - limits.lastDays * 86_400_000) : undefined
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.customerId, customerId), eq(messages.deleted, false), eq(messages.held, false), since ? gte(messages.createdAt, since) : undefined))
    .orderBy(asc(messages.id))
  return limits.lastMessages ? rows.slice(-limits.lastMessages) : rows
}

/** "↩ Zoe Quinn · 2026-11-21 14:02 UTC" or "↩ Alice · CS · 2026-11-21 14:05 UTC (internal note)": who wrote it, and when. */
export function replayLabel(project: ProjectRuntime, customer: Customer, message: MessageRow): string {
  const date = new Date(((JSON.parse(message.raw) as { date?: number }).date ?? 0) * 1000 || message.createdAt.getTime())
  const when = `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`
  if (message.origin === 'client') return `↩ ${customerName(customer)} · ${when}`
  const label = staffGroups(project).find((g) => g.role === message.senderRole)?.label ?? message.senderRole ?? 'staff'
  const name = staffMember(project, message.senderUserId)?.name ?? 'Staff'
  return `↩ ${name} · ${label} · ${when}${message.internalNote ? ' (internal note)' : ''}`
}

/**
 * Queues the history into a new topic as labelled copies (kind 'replay'), recorded like any
 * relay so replies, edits and reactions on old messages reach the new copies. Returns the
 * outbox id of the last row, so cleanup can wait for the replay to be delivered.
 */
export async function queueHistoryReplay(tx: DbOrTx, project: ProjectRuntime, customer: Customer, topic: Topic, history: MessageRow[]): Promise<number | undefined> {
  let last: number | undefined
  for (const message of history) {
    last = await queueCopy(tx, project, message, topicRoute(topic, 'replay', replayLabel(project, customer, message)), {
      noAlbumWait: true,
      returnOutboxId: true,
      stream: 'replay',
    })
  }
  return last
}
