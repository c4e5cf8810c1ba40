import { and, eq, like, ne, or, type SQL } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { assignments, topics, updates } from '../../db/schema/index.js'
import { ERASED, ERASED_PAYLOAD, parseJson } from './scrub.js'
import type { ForgetSubject } from './outbox-rows.js'

type StoredUpdate = typeof updates.$inferSelect
/** A message of a stored update, as far as the erasure looks at it. */
interface SeenMessage {
  message_id?: number
  message_thread_id?: number
  chat?: { id?: number }
  reply_to_message?: SeenMessage
}

/**
 * Every stored update that carries the customer's data: those of their private chat with the
 * client bot (their messages, edits, presses), and the staff bots' updates of their topics (the
 * staff's answers, the copies, the topic's name when it was created) and of their onboarding
 * card (a press carries the card's text). Found by a LIKE narrowing, then confirmed on the
 * parsed update, so another customer's updates are never among them.
 */
export async function customerUpdates(db: DbOrTx, subject: ForgetSubject): Promise<StoredUpdate[]> {
  const id = subject.telegramUserId
  const ofClientChat = and(eq(updates.botId, subject.clientBotId), or(like(updates.payload, `%"chat":{"id":${id},%`), like(updates.payload, `%"from":{"id":${id},%`)))
  const ownTopics = await db
    .select({ chatId: topics.chatId, threadId: topics.threadId })
    .from(topics)
    .where(inProject(topics, subject.projectId, eq(topics.customerId, subject.id)))
  const places = ownTopics.flatMap((topic) => (topic.threadId ? [{ chatId: topic.chatId, threadId: topic.threadId }] : []))
  const [assignment] = await db
    .select()
    .from(assignments)
    .where(inProject(assignments, subject.projectId, eq(assignments.customerId, subject.id)))
  const card = assignment?.cardChatId && assignment.cardMessageId ? { chatId: assignment.cardChatId, messageId: assignment.cardMessageId } : undefined
  const narrowings: SQL[] = [
    ...places.map((place) => like(updates.payload, `%"message_thread_id":${place.threadId}%`)),
    ...(card ? [like(updates.payload, `%"message_id":${card.messageId}%`)] : []),
  ]
  const clientRows = await db
    .select()
    .from(updates)
    .where(inProject(updates, subject.projectId, ofClientChat))
    .orderBy(updates.updateId)
  const staffRows = narrowings.length
    ? await db
        .select()
        .from(updates)
        .where(inProject(updates, subject.projectId, ne(updates.botId, subject.clientBotId), or(...narrowings)))
        .orderBy(updates.updateId)
    : []
  const inPlace = (message: SeenMessage | undefined): boolean =>
    !!message &&
    (places.some((place) => message.chat?.id === place.chatId && message.message_thread_id === place.threadId) ||
      (card !== undefined && message.chat?.id === card.chatId && message.message_id === card.messageId) ||
      inPlace(message.reply_to_message))
  return [...clientRows.filter((row) => fromPerson(parseJson(row.payload), id)), ...staffRows.filter((row) => messagesOf(parseJson(row.payload)).some(inPlace))]
}

/** Erases the payload and the error (a database error quotes the statement's parameters: texts, the raw update) of each update. */
export async function eraseUpdates(tx: DbOrTx, rows: StoredUpdate[]): Promise<number> {
  for (const row of rows)
    await tx
      .update(updates)
      .set({ payload: ERASED_PAYLOAD, error: row.error === null ? null : ERASED })
      .where(and(eq(updates.botId, row.botId), eq(updates.updateId, row.updateId)))
  return rows.length
}

/**
 * An update of the person's own private chat: its message's chat, or who pressed or reacted, is
 * them (another client's update that merely quotes them, a forwarded story say, is not).
 */
function fromPerson(update: unknown, userId: number): boolean {
  if (!update || typeof update !== 'object') return false
  return Object.values(update as Record<string, unknown>).some((part) => {
    if (!part || typeof part !== 'object') return false
    const inner = part as { chat?: { id?: number }; from?: { id?: number }; user?: { id?: number } }
    return inner.chat?.id === userId || inner.from?.id === userId || inner.user?.id === userId
  })
}

/** The messages an update is about: the message itself (new, edited, in a channel) or the one a button was pressed on. */
function messagesOf(update: unknown): SeenMessage[] {
  if (!update || typeof update !== 'object') return []
  return Object.values(update as Record<string, unknown>).flatMap((part): SeenMessage[] => {
    if (!part || typeof part !== 'object') return []
    const inner = part as SeenMessage & { message?: SeenMessage }
    if (inner.chat !== undefined) return [inner]
    return inner.message ? [inner.message] : []
  })
}
