import { boolean, datetime, index, int, longtext, mysqlTable, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, telegramId, timestamps } from './columns.js'

/** `confirming`: counted, waiting for Confirm; `sending`: rows queued; `done` / `cancelled`: nothing more goes out. */
export const broadcastStates = ['confirming', 'sending', 'done', 'cancelled'] as const
export type BroadcastState = (typeof broadcastStates)[number]

/**
 * One message sent to a segment of a project's clients (`/broadcast`, `npm run broadcast`). Its
 * sends are bulk outbox rows carrying the broadcast's id (`outbox.broadcast_id`); the counts are
 * refreshed from them while it runs (`domain/broadcasts/progress.ts`).
 */
export const broadcasts = mysqlTable(
  'broadcasts',
  {
    id: primaryId(),
    ...projectScope,
    /** The CS lead who started it; null: the command line. */
    authorUserId: telegramId('author_user_id'),
    /** The segment as typed (`all`, `tag:vip`, `team:north`, `link:<code>`, `lang:de`). */
    segment: varchar('segment', { length: 160 }).notNull(),
    /** The message to send, as Telegram gave it (the replied-to message's JSON), and the bot that received it (its file ids). */
    source: longtext('source').notNull(),
    sourceBotId: telegramId('source_bot_id').notNull(),
    state: varchar('state', { length: 12, enum: broadcastStates }).notNull().default('confirming'),
    total: int('total', { unsigned: true }).notNull().default(0),
    sent: int('sent', { unsigned: true }).notNull().default(0),
    blocked: int('blocked', { unsigned: true }).notNull().default(0),
    failed: int('failed', { unsigned: true }).notNull().default(0),
    cancelled: int('cancelled', { unsigned: true }).notNull().default(0),
    /** `allow_paid_broadcast` on its sends (`delivery.allowPaidBroadcast` when it started). */
    paid: boolean('paid').notNull().default(false),
    /** The confirmation message the progress is edited into (absent for the command line). */
    confirmChatId: telegramId('confirm_chat_id'),
    confirmMessageId: telegramId('confirm_message_id'),
    confirmBotId: telegramId('confirm_bot_id'),
    progressEditedAt: datetime('progress_edited_at', { mode: 'date', fsp: 3 }),
    finishedAt: datetime('finished_at', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [index('broadcasts_state_idx').on(t.state, t.id), index('broadcasts_project_idx').on(t.projectId, t.id)],
)
