import { and, eq, inArray, like, or, sql } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { accounts, assignments, outbox, systemTopics, topics } from '../../db/schema/index.js'
import { decodeDestination, encodeDestination, privateChatOf, type Destination } from '../../delivery/destination.js'
import { topicLink } from '../crm/find.js'
import { namesCustomer } from './traces.js'
import { ERASED, parseJson, scrubJsonText } from './scrub.js'

/** The customer as the erasure needs them: who they are on Telegram, and their client bot. */
export interface ForgetSubject {
  id: number
  projectId: number
  telegramUserId: number
  clientBotId: number
  accountId: number | null
  username: string | null
}

export type OutboxRow = typeof outbox.$inferSelect

/** What a customer's cards are recognised by: their topics, their onboarding card, their account's email. */
export interface Traces {
  topicIds: number[]
  /** Links to their topics (an escalation in the Onboarding topic links the topic). */
  topicLinks: string[]
  assignmentId?: number
  card?: { chatId: number; messageId: number }
  email?: string
}

/**
 * The customer's outbox rows, whatever their state: everything queued into their topics or their
 * private chat with the client bot, their onboarding card and its edits, and the Onboarding
 * topic's notices about them (the link-conflict alert naming their Telegram id, an escalation
 * linking their topic, anything naming their account's email). No other customer's row: a
 * system-topic notice counts only when it carries one of these traces.
 */
export async function customerOutboxRows(db: DbOrTx, subject: ForgetSubject, traces: Traces): Promise<OutboxRow[]> {
  const systemIds = (await db.select({ id: systemTopics.id }).from(systemTopics).where(inProject(systemTopics, subject.projectId))).map((row) => row.id)
  const streams = (target: Destination) => [encodeDestination(target), encodeDestination({ ...target, aside: true }), encodeDestination({ ...target, bulk: true })]
  const destinations = [
    ...traces.topicIds.flatMap((topicId) => streams({ kind: 'topic', topicId })),
    ...systemIds.flatMap((systemTopicId) => streams({ kind: 'system_topic', systemTopicId })),
  ]
  const cardEdit = traces.card
    ? and(
        sql`JSON_VALUE(${outbox.job}, '$.type') = 'edit_text'`,
        sql`JSON_VALUE(${outbox.job}, '$.chatId') = ${traces.card.chatId}`,
        sql`JSON_VALUE(${outbox.job}, '$.messageId') = ${traces.card.messageId}`,
      )
    : undefined
  // A narrowing only: each candidate's destination is decoded below.
  const privateChat = and(eq(outbox.botId, subject.clientBotId), like(outbox.destination, `%${subject.telegramUserId}%`))
  const candidates = await db
    .select()
    .from(outbox)
    .where(inProject(outbox, subject.projectId, or(destinations.length ? inArray(outbox.destination, destinations) : undefined, privateChat, cardEdit)))
    .orderBy(outbox.id)
  return candidates.filter((row) => belongsTo(row, subject, traces, systemIds))
}

function belongsTo(row: OutboxRow, subject: ForgetSubject, traces: Traces, systemIds: number[]): boolean {
  const destination = decodeDestination(row.destination)
  if (destination?.kind === 'topic') return traces.topicIds.includes(destination.topicId)
  const chatBot = destination?.kind === 'private_chat' ? destination.botId : row.botId
  if (privateChatOf(destination) === subject.telegramUserId && chatBot === subject.clientBotId) return true
  const job = parseJson(row.job) as { type?: string; chatId?: number; messageId?: number; text?: string; purpose?: { assignmentId?: number } }
  if (job.type === 'edit_text' && traces.card && job.chatId === traces.card.chatId && job.messageId === traces.card.messageId) return true
  if (destination?.kind !== 'system_topic' || !systemIds.includes(destination.systemTopicId)) return false
  if (traces.assignmentId !== undefined && job.purpose?.assignmentId === traces.assignmentId) return true
  return typeof job.text === 'string' && namesCustomer(job.text, subject, traces)
}

/** What identifies the customer in rows that are not theirs alone (see `Traces`). */
export async function tracesOf(db: DbOrTx, subject: ForgetSubject): Promise<Traces> {
  const own = await db
    .select({ id: topics.id, chatId: topics.chatId, threadId: topics.threadId })
    .from(topics)
    .where(inProject(topics, subject.projectId, eq(topics.customerId, subject.id)))
  const [assignment] = await db
    .select()
    .from(assignments)
    .where(inProject(assignments, subject.projectId, eq(assignments.customerId, subject.id)))
  const [account] = subject.accountId
    ? await db
        .select({ email: accounts.email })
        .from(accounts)
        .where(inProject(accounts, subject.projectId, eq(accounts.id, subject.accountId)))
    : []
  return {
    topicIds: own.map((topic) => topic.id),
    topicLinks: own.flatMap((topic) => (topic.threadId ? [topicLink(topic.chatId, topic.threadId)] : [])),
    ...(assignment ? { assignmentId: assignment.id } : {}),
    ...(assignment?.cardChatId && assignment.cardMessageId ? { card: { chatId: assignment.cardChatId, messageId: assignment.cardMessageId } } : {}),
    ...(account ? { email: account.email.toLowerCase() } : {}),
  }
}

/** Why an unsent row of a forgotten customer was not sent (shown by /failed and the outbox CLI). */
export const CANCELLED_BY_ERASURE = 'cancelled: the customer was forgotten'

/**
 * Scrubs the customer's outbox rows (see `scrubJson`): texts, keyboards, their Telegram id in
 * the job and in the send's result, and the last error (which may quote them). A row not sent
 * yet is cancelled (dead, with CANCELLED_BY_ERASURE): nothing more goes out with their data.
 */
export async function eraseOutboxRows(tx: DbOrTx, rows: OutboxRow[], telegramUserId: number): Promise<number> {
  for (const { id } of rows) {
    // Read again under the row's lock: a worker's "sent" lands before this or not at all (the row is no longer 'sending').
    const [row] = await tx.select().from(outbox).where(eq(outbox.id, id)).for('update')
    if (!row) continue
    const unsent = row.state === 'pending' || row.state === 'sending'
    await tx
      .update(outbox)
      .set({
        job: scrubJsonText(row.job, telegramUserId) ?? row.job,
        result: scrubJsonText(row.result, telegramUserId),
        lastError: unsent ? CANCELLED_BY_ERASURE : row.lastError === null ? null : ERASED,
        ...(unsent ? { state: 'dead' as const, lockedUntil: null } : {}),
      })
      .where(eq(outbox.id, id))
  }
  return rows.length
}
