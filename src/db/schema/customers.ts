import { boolean, datetime, index, int, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { projectScope, rowId, telegramId, timestamps, primaryId } from './columns.js'

export const customerStates = ['awaiting_email', 'pending_assignment', 'active', 'rejected'] as const
export type CustomerState = (typeof customerStates)[number]

/** A customer's conversation: open until resolved (`/resolve`, a person closing the CR topic); the next client message reopens it. */
export const conversationStates = ['open', 'resolved'] as const
export type ConversationState = (typeof conversationStates)[number]

/** A Telegram user talking to a project's client bot, linked to an account once validated. */
export const customers = mysqlTable(
  'customers',
  {
    id: primaryId(),
    ...projectScope,
    telegramUserId: telegramId('telegram_user_id').notNull(),
    /** The client bot this customer talks to (its private chat id equals telegramUserId). */
    clientBotId: telegramId('client_bot_id').notNull(),
    accountId: rowId('account_id'),
    state: varchar('state', { length: 24, enum: customerStates }).notNull().default('awaiting_email'),
    firstName: varchar('first_name', { length: 255 }).notNull().default(''),
    lastName: varchar('last_name', { length: 255 }),
    username: varchar('username', { length: 64 }),
    /** The client's Telegram `language_code` (IETF tag, e.g. "en", "pt-br") as last seen; routing prefers agents speaking it. */
    languageCode: varchar('language_code', { length: 16 }),
    /** The language of the client's messages as last detected with confidence (translation); client texts prefer it over languageCode. */
    detectedLanguage: varchar('detected_language', { length: 16 }),
    /** `/tr off` in one of the customer's topics: no translation either way. */
    translationOff: boolean('translation_off').notNull().default(false),
    startPayload: varchar('start_payload', { length: 128 }),
    crTeam: varchar('cr_team', { length: 64 }),
    /** The account records' CR team hint when the team was last decided (records sync acts on changes only). */
    crTeamHintSeen: varchar('cr_team_hint_seen', { length: 64 }),
    treatment: boolean('treatment').notNull().default(false),
    /** The CR agent who owns this customer (Telegram user id); NULL: none yet, or waiting in the queue. */
    ownerUserId: telegramId('owner_user_id'),
    conversation: varchar('conversation', { length: 16, enum: conversationStates }).notNull().default('open'),
    resolvedAt: datetime('resolved_at', { mode: 'date', fsp: 3 }),
    /** Since when the customer waits in the project's queue for an owner; NULL when not queued. */
    queuedAt: datetime('queued_at', { mode: 'date', fsp: 3 }),
    blocked: boolean('blocked').notNull().default(false),
    /** When `customer forget` erased them: no broadcast reaches them again (they asked to be forgotten). */
    forgottenAt: datetime('forgotten_at', { mode: 'date', fsp: 3 }),
    /** Banned by a CS lead (/ban): messages are stored, not relayed; told once (banReplySent). */
    banned: boolean('banned').notNull().default(false),
    banReplySent: boolean('ban_reply_sent').notNull().default(false),
    /** End of the current flood window: until then excess messages are counted into one notice. */
    floodWindowUntil: datetime('flood_window_until', { mode: 'date', fsp: 3 }),
    emailFailures: int('email_failures', { unsigned: true }).notNull().default(0),
    firstFailureAt: datetime('first_failure_at', { mode: 'date', fsp: 3 }),
    cooldownUntil: datetime('cooldown_until', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('customers_project_user_uq').on(t.projectId, t.telegramUserId),
    // One Telegram user per account; NULLs (not yet linked) do not collide.
    uniqueIndex('customers_project_account_uq').on(t.projectId, t.accountId),
    index('customers_state_idx').on(t.projectId, t.state),
    // Open customers per owner (routing, maxOpenPerAgent, /who, /mine) and the queue, oldest first.
    index('customers_owner_idx').on(t.projectId, t.ownerUserId, t.conversation),
    index('customers_queue_idx').on(t.projectId, t.queuedAt),
  ],
)

/** The onboarding card in the CS group: exactly one decision per customer, enforced by a guarded UPDATE. */
export const assignments = mysqlTable(
  'assignments',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    state: varchar('state', { length: 16, enum: ['pending', 'assigned', 'rejected'] })
      .notNull()
      .default('pending'),
    treatmentToggle: boolean('treatment_toggle').notNull().default(false),
    cardChatId: telegramId('card_chat_id'),
    cardMessageId: telegramId('card_message_id'),
    crTeam: varchar('cr_team', { length: 64 }),
    /** The account records' CR team hint when the team was last decided (records sync acts on changes only). */
    crTeamHintSeen: varchar('cr_team_hint_seen', { length: 64 }),
    decidedBy: telegramId('decided_by'),
    decidedAt: datetime('decided_at', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [uniqueIndex('assignments_customer_uq').on(t.customerId)],
)
