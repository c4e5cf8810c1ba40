import { datetime, index, mysqlTable, tinyint, uniqueIndex } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, timestamps } from './columns.js'

/**
 * A customer's wait for a staff answer (one row per customer, created at their first relayed
 * message): the oldest client message no staff answer has followed yet, and which reminders
 * fired for it. A staff answer clears the wait; the next client message starts a new one.
 */
export const unansweredWaits = mysqlTable(
  'unanswered_waits',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    /** The stored client message (messages.id) waiting for an answer; NULL: nothing waits. */
    messageRowId: rowId('message_row_id'),
    /** When that message arrived (the domain's clock). */
    waitingSince: datetime('waiting_since', { mode: 'date', fsp: 3 }),
    /** Reminders fired for this wait: 0 none, 1 the owner pinged, 2 the CS leads told too. */
    remindersSent: tinyint('reminders_sent', { unsigned: true }).notNull().default(0),
    /** When the client last got the outside-hours auto-reply; cleared by a staff answer (once per conversation). */
    autoRepliedAt: datetime('auto_replied_at', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [uniqueIndex('unanswered_waits_customer_uq').on(t.customerId), index('unanswered_waits_project_idx').on(t.projectId, t.remindersSent, t.waitingSince)],
)
