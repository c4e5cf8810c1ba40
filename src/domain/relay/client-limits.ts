import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { customers } from '../../db/schema/index.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { activeTopics, type Customer } from '../customers.js'
import { queueClientText } from '../onboarding/notify-client.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { enqueueTo } from '../enqueue-to.js'
import { clientLanguageOf } from '../translation/language.js'

/**
 * Whether the customer's last `flood.maxMessages` relayed messages all fall within the last
 * `flood.windowSeconds` (a sliding window over relayed messages, so a steady flood still gets
 * that many through per window): an SQL column, read by the same statement that locks the
 * customer (the lock makes concurrent messages count one after another).
 */
export function floodingColumn(project: ProjectRuntime): SQL<number | null> {
  const { maxMessages, windowSeconds } = project.config.flood
  // Names spelled out: in a select list drizzle leaves columns unqualified, and `id` would be the message's.
  return sql<number | null>`(SELECT m.created_at > CURRENT_TIMESTAMP(3) - INTERVAL ${windowSeconds} SECOND FROM messages m
    WHERE m.customer_id = customers.id AND m.origin = 'client' AND m.held = false AND m.not_relayed IS NULL
    ORDER BY m.id DESC LIMIT 1 OFFSET ${maxMessages - 1})`
}

/** A banned client's message was stored only: the client is told once (relay.bannedReply). */
export async function tellBannedOnce(tx: DbOrTx, project: ProjectRuntime, customer: Customer): Promise<void> {
  const [first] = await tx
    .update(customers)
    .set({ banReplySent: true })
    .where(and(eq(customers.id, customer.id), eq(customers.banReplySent, false)))
  if (first.affectedRows) await queueClientText(tx, project, customer.telegramUserId, textsOf(project).client(clientLanguageOf(customer), 'bannedReply'))
}

/**
 * A flooding client's message was stored only: the first such message of a window opens it —
 * the client is asked once to slow down, and each topic gets one notice at the window's end
 * counting what was held back (sent beside the topic's ordered rows, so live messages do not
 * wait for it).
 */
export async function openFloodWindow(tx: DbOrTx, project: ProjectRuntime, customer: Customer, stored: MessageRow, now: Date): Promise<void> {
  if (customer.floodWindowUntil && customer.floodWindowUntil > now) return
  const { maxMessages, windowSeconds } = project.config.flood
  const until = new Date(now.getTime() + windowSeconds * 1000)
  await tx.update(customers).set({ floodWindowUntil: until }).where(eq(customers.id, customer.id))
  const t = textsOf(project)
  await queueClientText(tx, project, customer.telegramUserId, t.client(clientLanguageOf(customer), 'slowDownReply'))
  const window = windowSeconds === 60 ? 'minute' : windowSeconds % 60 === 0 ? 'minutes' : 'seconds'
  const label = t.staff('floodWindow', { window, minutes: windowSeconds / 60, seconds: windowSeconds })
  // `{count}` stays in the text: delivery fills it in when the window ends (the flood_notice job).
  const text = t.staff('floodNotice', { count: '{count}', window: label, max: maxMessages })
  for (const topic of await activeTopics(tx, customer.id)) {
    const job = { type: 'flood_notice', target: { kind: 'topic', topicId: topic.id }, customerId: customer.id, sinceRowId: stored.id, until: until.toISOString(), text } as const
    await enqueueTo(tx, project, { kind: 'topic', topic }, job, { aside: true, delayMs: windowSeconds * 1000 })
  }
}

/** Per project runtime (one app): client id → when their recent reactions and edits were synced. */
const recentSyncs = new WeakMap<ProjectRuntime, Map<number, number[]>>()

/**
 * Whether a client's reaction or edit is beyond the flood limit (`flood.maxMessages` per
 * `flood.windowSeconds`, counted apart from messages): each one synced is a job against the
 * staff groups' budgets. Within the limit it is counted and false is returned. Counted in this
 * process's memory (no row is stored for a reaction): each process of a deployment allows the
 * limit, and a restart forgets the window.
 */
export function syncFlooding(project: ProjectRuntime, clientUserId: number, now: number): boolean {
  const { maxMessages, windowSeconds } = project.config.flood
  let byClient = recentSyncs.get(project)
  if (!byClient) recentSyncs.set(project, (byClient = new Map<number, number[]>()))
  const since = now - windowSeconds * 1000
  const recent = (byClient.get(clientUserId) ?? []).filter((at) => at > since)
  if (recent.length >= maxMessages) {
    byClient.set(clientUserId, recent)
    return true
  }
  recent.push(now)
  byClient.set(clientUserId, recent)
  // Forget quiet clients now and then, so the map holds only the recently active.
  if (byClient.size > 10_000) for (const [id, times] of byClient) if (times.every((at) => at <= since)) byClient.delete(id)
  return false
}
