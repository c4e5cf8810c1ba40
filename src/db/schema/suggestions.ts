import { bigint, datetime, index, mysqlTable, text, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, telegramId, timestamps } from './columns.js'

/**
 * A suggestion's fate: `pending` (asked of the provider), `shown` (waiting for a person), `editing`
 * (Edit pressed: the presser's next message in the topic is their version), then `sent` (as is),
 * `edited`, `dismissed`, or `ignored` (a newer client message, or a staff reply typed by hand).
 */
export const suggestionStates = ['shown', 'editing', 'sent', 'edited', 'dismissed', 'ignored'] as const
export type SuggestionState = (typeof suggestionStates)[number]

/** Suggest mode's records (issue 19): one row per suggested reply shown to staff, and what became of it (`/stats` acceptance rate). */
export const assistantSuggestions = mysqlTable(
  'assistant_suggestions',
  {
    id: primaryId(),
    ...projectScope,
    customerId: bigint('customer_id', { mode: 'number', unsigned: true }).notNull(),
    /** The client message it answers (messages.id). */
    messageId: bigint('message_id', { mode: 'number', unsigned: true }).notNull(),
    /** The topic it is shown in, and to whom (null: nobody owns the customer, posted for the topic's people). */
    topicId: bigint('topic_id', { mode: 'number', unsigned: true }).notNull(),
    receiverUserId: telegramId('receiver_user_id'),
    /** The suggested reply (personal data: covered by `customer export` and `forget`). */
    text: text('text').notNull(),
    /** The knowledge base's citations, as JSON [{ id, source }]. */
    sources: text('sources').notNull(),
    state: varchar('state', { length: 12, enum: suggestionStates }).notNull().default('shown'),
    /** Who pressed Send/Edit/Dismiss. */
    decidedBy: telegramId('decided_by'),
    decidedAt: datetime('decided_at', { mode: 'date', fsp: 3 }),
    /** The ephemeral send's outbox row, and the normal message posted when it was refused. */
    ephemeralOutboxId: bigint('ephemeral_outbox_id', { mode: 'number', unsigned: true }),
    fallbackOutboxId: bigint('fallback_outbox_id', { mode: 'number', unsigned: true }),
    ...timestamps,
  },
  (t) => [index('assistant_suggestions_customer_idx').on(t.projectId, t.customerId, t.state), index('assistant_suggestions_stats_idx').on(t.projectId, t.createdAt)],
)
