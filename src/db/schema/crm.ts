import { index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, telegramId, timestamps } from './columns.js'

/** A customer's tag (`/tag vip`), per project; names are normalised by `domain/crm/tags.ts`. */
export const customerTags = mysqlTable(
  'customer_tags',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    tag: varchar('tag', { length: 32 }).notNull(),
    addedBy: telegramId('added_by'),
    ...timestamps,
  },
  (t) => [uniqueIndex('customer_tags_customer_tag_uq').on(t.customerId, t.tag), index('customer_tags_project_tag_idx').on(t.projectId, t.tag)],
)

/** A dated note on a customer's profile (`/note`), with its author. */
export const customerNotes = mysqlTable(
  'customer_notes',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    authorUserId: telegramId('author_user_id').notNull(),
    authorName: varchar('author_name', { length: 255 }).notNull(),
    text: varchar('text', { length: 2000 }).notNull(),
    ...timestamps,
  },
  (t) => [index('customer_notes_customer_idx').on(t.customerId, t.id)],
)

/** A project's canned reply (`/canned add`), sent with `/c <name>`. */
export const cannedReplies = mysqlTable(
  'canned_replies',
  {
    id: primaryId(),
    ...projectScope,
    name: varchar('name', { length: 32 }).notNull(),
    text: varchar('text', { length: 4000 }).notNull(),
    createdBy: telegramId('created_by'),
    ...timestamps,
  },
  (t) => [uniqueIndex('canned_replies_project_name_uq').on(t.projectId, t.name)],
)

/** Where a topic's pinned profile card was posted, and by which bot, so it can be edited (tags, notes). */
export const profileCards = mysqlTable(
  'profile_cards',
  {
    id: primaryId(),
    ...projectScope,
    topicId: rowId('topic_id').notNull(),
    chatId: telegramId('chat_id').notNull(),
    messageId: telegramId('message_id').notNull(),
    botId: telegramId('bot_id').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('profile_cards_topic_uq').on(t.topicId)],
)
