import { sql } from 'drizzle-orm'
import { datetime, index, int, longtext, mysqlTable, primaryKey, text, varchar } from 'drizzle-orm/mysql-core'
import { projectScope, rowId, telegramId, timestamps, primaryId } from './columns.js'

/** Every update is stored before it is handled; the primary key deduplicates redeliveries. */
export const updates = mysqlTable(
  'updates',
  {
    botId: telegramId('bot_id').notNull(),
    updateId: telegramId('update_id').notNull(),
    ...projectScope,
    payload: longtext('payload').notNull(),
    state: varchar('state', { length: 12, enum: ['received', 'handled', 'failed'] })
      .notNull()
      .default('received'),
    /** Handling attempts; an update that keeps failing is parked as 'failed' after a few. */
    attempts: int('attempts', { unsigned: true }).notNull().default(0),
    error: text('error'),
    /** Which updates are handled one after another (`bots/ingress/order-key.ts`); null: stored without one (polling). */
    orderKey: varchar('order_key', { length: 64 }),
    /** The handling that has the update in hand, and until when (renewed while it runs; DB clock). */
    claimToken: varchar('claim_token', { length: 24 }),
    claimedUntil: datetime('claimed_until', { mode: 'date', fsp: 3 }),
    /** The instance whose handling claimed it (its lease id, as `outbox.claimed_by`): when that lease runs out, the claim ends at once. */
    claimedBy: varchar('claimed_by', { length: 36 }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.botId, t.updateId] }),
    index('updates_state_idx').on(t.state, t.botId, t.updateId),
    index('updates_order_idx').on(t.botId, t.orderKey, t.state, t.updateId),
  ],
)

/**
 * An outbox row's priority class: `live` the relay both ways (and what it needs); `prompt` the home
 * group's prompts, cards and notices; `replay` a reassignment's history replay and cleanup; `bulk`
 * sends many at once (broadcasts), which take only what the others leave (`delivery/send-planner.ts`).
 * Each class has its own workers, so a busy class never holds up another.
 */
export const priorityClasses = ['live', 'prompt', 'replay', 'bulk'] as const
export type PriorityClass = (typeof priorityClasses)[number]

/** The class of a stored `class` value: sent rows of older releases keep the lane they were sent in (migration 0014). */
export function classOfStored(value: string): PriorityClass {
  if ((priorityClasses as readonly string[]).includes(value)) return value as PriorityClass
  return value === 'cs_prompts' ? 'prompt' : value === 'cr_reassignment' ? 'replay' : 'live'
}
export const outboxStates = ['pending', 'sending', 'sent', 'dead'] as const
export type OutboxState = (typeof outboxStates)[number]

/**
 * The durable outbound queue: one row per Telegram call. Rows with the same destination are
 * delivered in id order (a bulk row's destination is a stream of its own: `delivery/destination.ts`);
 * `dependsOn` holds a row until its parent was sent.
 */
export const outbox = mysqlTable(
  'outbox',
  {
    id: primaryId(),
    ...projectScope,
    class: varchar('class', { length: 24, enum: priorityClasses }).notNull(),
    /** The ordering key, written and read only by `delivery/destination.ts` ("topic:<row>", "chat:<group id>", "chat:<user id>:bot:<bot id>", "system:<row>", optionally ":bulk" and ":aside"). */
    destination: varchar('destination', { length: 48 }).notNull(),
    botId: telegramId('bot_id').notNull(),
    job: longtext('job').notNull(),
    state: varchar('state', { length: 12, enum: outboxStates }).notNull().default('pending'),
    attempts: int('attempts', { unsigned: true }).notNull().default(0),
    nextAttemptAt: datetime('next_attempt_at', { mode: 'date', fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    lockedUntil: datetime('locked_until', { mode: 'date', fsp: 3 }),
    /** The claim that took the row last: one statement claims rows, the next reads back what it took. */
    claimToken: varchar('claim_token', { length: 32 }),
    /** The instance whose claim took the row last (its lease id, `instance:<id>` in `leases`): when that lease runs out, its claims end at once. */
    claimedBy: varchar('claimed_by', { length: 36 }),
    dependsOn: rowId('depends_on'),
    lastError: text('last_error'),
    result: longtext('result'),
    /** The broadcast a bulk row sends (its progress is counted, and Cancel ends its unsent rows, by this column). */
    broadcastId: rowId('broadcast_id'),
    ...timestamps,
  },
  (t) => [
    index('outbox_claim_idx').on(t.state, t.class, t.nextAttemptAt),
    index('outbox_broadcast_idx').on(t.broadcastId, t.state),
    // A claim walks a class's waiting rows in id order (FORCE INDEX in claimJobs), never the sent history.
    index('outbox_due_idx').on(t.state, t.class, t.id),
    index('outbox_destination_idx').on(t.destination, t.state, t.id),
  ],
)

/** Who did what, for accountability (assignments, rejections, deletes, reassignments). */
export const auditLog = mysqlTable(
  'audit_log',
  {
    id: primaryId(),
    ...projectScope,
    actorUserId: telegramId('actor_user_id'),
    action: varchar('action', { length: 48 }).notNull(),
    customerId: rowId('customer_id'),
    details: text('details'),
    ...timestamps,
  },
  (t) => [index('audit_log_customer_idx').on(t.customerId, t.id)],
)
