import { boolean, index, int, longtext, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { projectScope, rowId, telegramId, timestamps, primaryId } from './columns.js'

export const messageOrigins = ['client', 'staff'] as const
export type MessageOrigin = (typeof messageOrigins)[number]
/** Why a message was stored but not relayed: flood and ban (the first relay policies), held by a policy until released, dropped, or answered instead. */
export const notRelayedReasons = ['flood', 'banned', 'held', 'dropped', 'responded'] as const
export type NotRelayedReason = (typeof notRelayedReasons)[number]

/** Every inbound message, stored (with its raw payload) before anything is relayed. */
export const messages = mysqlTable(
  'messages',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    origin: varchar('origin', { length: 8, enum: messageOrigins }).notNull(),
    /** Bot that received the original (file_ids in raw belong to it). */
    botId: telegramId('bot_id').notNull(),
    chatId: telegramId('chat_id').notNull(),
    threadId: telegramId('thread_id'),
    messageId: telegramId('message_id').notNull(),
    senderUserId: telegramId('sender_user_id').notNull(),
    /** Staff role label used for attribution (cs, cr, treatment); null for client messages. */
    senderRole: varchar('sender_role', { length: 16 }),
    kind: varchar('kind', { length: 16 }).notNull(),
    text: longtext('text'),
    mediaGroupId: varchar('media_group_id', { length: 64 }),
    /** The stored message this one replies to (resolved at ingest; the topic-root pseudo-reply is not a reply). */
    replyToRowId: rowId('reply_to_row_id'),
    /** Held until the customer has topics (messages sent before assignment). */
    held: boolean('held').notNull().default(false),
    internalNote: boolean('internal_note').notNull().default(false),
    /** Stored but deliberately not relayed: a relay policy's verdict (flood, ban, held until released…). */
    notRelayed: varchar('not_relayed', { length: 16, enum: notRelayedReasons }),
    editCount: int('edit_count', { unsigned: true }).notNull().default(0),
    deleted: boolean('deleted').notNull().default(false),
    raw: longtext('raw').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('messages_source_uq').on(t.botId, t.chatId, t.messageId), index('messages_customer_idx').on(t.customerId, t.id)],
)

/**
 * One relayed copy of a message: where it went, and which bot posted it (only that bot can
 * later edit, delete or react there). copyMessageId is null until the outbox delivers it.
 */
export const relayLinks = mysqlTable(
  'relay_links',
  {
    id: primaryId(),
    ...projectScope,
    messageId: rowId('message_id').notNull(),
    topicId: rowId('topic_id'),
    chatId: telegramId('chat_id').notNull(),
    threadId: telegramId('thread_id'),
    copyMessageId: telegramId('copy_message_id'),
    botId: telegramId('bot_id').notNull(),
    kind: varchar('kind', { length: 16, enum: ['relay', 'mirror', 'replay'] })
      .notNull()
      .default('relay'),
    /** Attribution line shown above the copy ("Alice · CS"), decided by the domain at ingest. */
    header: varchar('header', { length: 255 }),
    /** The copy's own text and entities when a relay policy rewrote it (JSON `CopyVariant`); null: the original's. */
    variant: longtext('variant'),
    ...timestamps,
  },
  (t) => [
    // One copy of a message per topic and kind (a replay into a new topic is a new copy).
    uniqueIndex('relay_links_message_topic_uq').on(t.messageId, t.topicId, t.chatId, t.kind),
    index('relay_links_copy_idx').on(t.chatId, t.copyMessageId, t.botId),
  ],
)

/**
 * file_ids are per bot: each bot's file_id for a *source* file (the one in the stored original,
 * named by its file_unique_id), so a bot uploads a source file at most once. An upload gets a new
 * file_unique_id, so the key is never the id the posting bot got back.
 */
export const fileCache = mysqlTable(
  'file_cache',
  {
    id: primaryId(),
    botId: telegramId('bot_id').notNull(),
    fileUniqueId: varchar('file_unique_id', { length: 128 }).notNull(),
    fileId: varchar('file_id', { length: 255 }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('file_cache_bot_file_uq').on(t.botId, t.fileUniqueId)],
)

/**
 * A message (or a new version of one) a relay policy held: the resumable token a release names,
 * and what the release needs to relay it as if it had passed (the policies still to run, the
 * staff copy context or the held version). Released or discarded once.
 */
export const relayHolds = mysqlTable(
  'relay_holds',
  {
    id: primaryId(),
    ...projectScope,
    messageId: rowId('message_id').notNull(),
    token: varchar('token', { length: 32 }).notNull(),
    /** The policy that held it, and why (its own words, for staff). */
    policy: varchar('policy', { length: 64 }).notNull(),
    reason: varchar('reason', { length: 255 }).notNull(),
    /** 'message': the message is not relayed yet; 'edit': a new version not synced yet. */
    change: varchar('change', { length: 8, enum: ['message', 'edit'] }).notNull(),
    /** JSON: the position of the next policy, the staff copy context, the held version (an edit). */
    resume: longtext('resume').notNull(),
    state: varchar('state', { length: 12, enum: ['held', 'released', 'discarded'] })
      .notNull()
      .default('held'),
    ...timestamps,
  },
  (t) => [uniqueIndex('relay_holds_token_uq').on(t.token), index('relay_holds_message_idx').on(t.messageId)],
)
