import { boolean, datetime, index, int, mysqlTable, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, telegramId, timestamps } from './columns.js'

export const riskModes = ['confirm', 'block'] as const

/**
 * A risk phrase changed by a CS lead (`/risk add|remove`): over the config's starting set, a row
 * of the same name wins; `removed` hides a phrase the config still lists.
 */
export const riskPhrases = mysqlTable(
  'risk_phrases',
  {
    id: primaryId(),
    ...projectScope,
    name: varchar('name', { length: 32 }).notNull(),
    mode: varchar('mode', { length: 8, enum: riskModes }).notNull(),
    /** JSON array of patterns: phrases, or `/regex/`. */
    patterns: text('patterns').notNull(),
    removed: boolean('removed').notNull().default(false),
    changedBy: telegramId('changed_by'),
    ...timestamps,
  },
  (t) => [uniqueIndex('risk_phrases_project_name_uq').on(t.projectId, t.name)],
)

export const riskPromptStates = ['pending', 'confirmed', 'cancelled', 'expired'] as const
export type RiskPromptState = (typeof riskPromptStates)[number]

/**
 * A "Send anyway / Cancel" prompt of a held staff message: shown to its author as an ephemeral
 * message (`ephemeralOutboxId`), posted as a normal reply (`fallbackOutboxId`) when that send
 * failed or nobody pressed by `fallbackAt`, expired as cancelled at `expiresAt`.
 */
export const riskPrompts = mysqlTable(
  'risk_prompts',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    holdToken: varchar('hold_token', { length: 32 }).notNull(),
    authorUserId: telegramId('author_user_id').notNull(),
    phrase: varchar('phrase', { length: 32 }).notNull(),
    /** The held text (erased with the customer's data). */
    text: text('text'),
    topicId: rowId('topic_id').notNull(),
    /** The author's message in the topic the fallback replies to (absent for /c and API messages). */
    replyToMessageId: int('reply_to_message_id'),
    state: varchar('state', { length: 12, enum: riskPromptStates }).notNull().default('pending'),
    ephemeralOutboxId: rowId('ephemeral_outbox_id'),
    fallbackOutboxId: rowId('fallback_outbox_id'),
    fallbackAt: datetime('fallback_at', { mode: 'date', fsp: 3 }).notNull(),
    expiresAt: datetime('expires_at', { mode: 'date', fsp: 3 }).notNull(),
    ...timestamps,
  },
  (t) => [index('risk_prompts_state_idx').on(t.projectId, t.state, t.expiresAt), uniqueIndex('risk_prompts_hold_uq').on(t.holdToken)],
)
