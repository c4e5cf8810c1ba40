import type { DbOrTx } from '../../db/client.js'
import { isDuplicateKey } from '../../db/errors.js'
import { messages, type MessageOrigin, type NotRelayedReason } from '../../db/schema/index.js'
import { resolveStoredMessage, type MessageRow } from '../../db/repositories/relay.js'
import type { InboundMessage } from '../inbound.js'

export interface IncomingMessage {
  projectId: number
  customerId: number
  origin: MessageOrigin
  botId: number
  /** Every bot of the project: a reply may point at a copy any of them posted (bot pools). */
  projectBotIds: readonly number[]
  message: InboundMessage
  senderRole?: string
  held?: boolean
  internalNote?: boolean
  /** Stored but deliberately not relayed (flood, ban). */
  notRelayed?: NotRelayedReason
  /** The stored message it answers, when the message itself cannot say (a staff message without original). */
  replyToRowId?: number
}

/** True when a topic message's reply_to_message is only the topic-root pseudo-reply. */
export function isRealReply(message: InboundMessage): boolean {
  const target = message.reply_to_message
  if (!target) return false
  if (message.is_topic_message && target.message_id === message.message_thread_id) return false
  return !target.forum_topic_created
}

/**
 * Stores an inbound message before anything is relayed. Returns undefined for a message
 * already stored (a redelivered update), so it is never relayed twice.
 */
export async function storeMessage(tx: DbOrTx, input: IncomingMessage): Promise<MessageRow | undefined> {
  const { message } = input
  const replyTo = isRealReply(message)
    ? await resolveStoredMessage(tx, { projectId: input.projectId, botId: input.botId, projectBotIds: input.projectBotIds }, message.chat.id, message.reply_to_message!.message_id)
    : undefined
  const values = {
    projectId: input.projectId,
    customerId: input.customerId,
    origin: input.origin,
    botId: input.botId,
    chatId: message.chat.id,
    threadId: message.is_topic_message ? (message.message_thread_id ?? null) : null,
    messageId: message.message_id,
    senderUserId: message.from?.id ?? 0,
    senderRole: input.senderRole ?? null,
    kind: message.kind,
    text: message.text ?? message.caption ?? null,
    mediaGroupId: message.media_group_id ?? null,
    replyToRowId: replyTo?.message.id ?? input.replyToRowId ?? null,
    held: input.held ?? false,
    internalNote: input.internalNote ?? false,
    notRelayed: input.notRelayed ?? null,
    raw: JSON.stringify(message.raw),
  }
  // A plain INSERT, the duplicate caught: INSERT IGNORE locks the gap it inserts into until the
  // commit (MariaDB 10.11), so the first messages of new customers, whose chats all sort after
  // every stored one, waited for each other's relay transactions one by one.
  let inserted: { insertId: number | string }
  try {
    ;[inserted] = await tx.insert(messages).values(values)
  } catch (error) {
    if (isDuplicateKey(error)) return undefined
    throw error
  }
  // The row as stored, without reading it back (defaults filled in as the schema has them).
  // eslint-disable-next-line no-restricted-syntax -- stands in for the database's own NOW() default, not the domain's time
  const now = new Date()
  return { ...values, id: Number(inserted.insertId), editCount: 0, deleted: false, createdAt: now, updatedAt: now }
}
