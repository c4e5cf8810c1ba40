import { datetime, index, int, mysqlTable, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, telegramId, timestamps } from './columns.js'

export const assignmentActions = [
  'onboarded',
  'rejected',
  'reassigned',
  'treatment_opened',
  'treatment_closed',
  'banned',
  'unbanned',
  /** fromOwner → toOwner (either may be NULL: first owner, back to the queue). */
  'owner_changed',
  'queued',
  'resolved',
  'reopened',
] as const
export type AssignmentAction = (typeof assignmentActions)[number]

/** Every change of who looks after a customer: who, when, from, to, why. */
export const assignmentLog = mysqlTable(
  'assignment_log',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    action: varchar('action', { length: 24, enum: assignmentActions }).notNull(),
    fromTeam: varchar('from_team', { length: 64 }),
    toTeam: varchar('to_team', { length: 64 }),
    fromOwner: telegramId('from_owner'),
    toOwner: telegramId('to_owner'),
    actorUserId: telegramId('actor_user_id'),
    /** What triggered it: a button, a command, the account records, a schedule. */
    reason: varchar('reason', { length: 64 }).notNull(),
    /** Free text given by a person (`/transfer <reason>`). */
    note: varchar('note', { length: 255 }),
    ...timestamps,
  },
  (t) => [index('assignment_log_customer_idx').on(t.customerId, t.id)],
)

export const reassignmentStates = ['scheduled', 'done', 'cancelled', 'failed'] as const
export type ReassignmentState = (typeof reassignmentStates)[number]

/**
 * A planned move of a customer to another CR team. Execution is resumable: `replayedUpTo` is
 * the last message row queued for replay into the new topic.
 */
export const reassignments = mysqlTable(
  'reassignments',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    fromTeam: varchar('from_team', { length: 64 }).notNull(),
    toTeam: varchar('to_team', { length: 64 }).notNull(),
    requestedBy: telegramId('requested_by'),
    source: varchar('source', { length: 16, enum: ['bot', 'records'] }).notNull(),
    dueAt: datetime('due_at', { mode: 'date', fsp: 3 }).notNull(),
    state: varchar('state', { length: 16, enum: reassignmentStates }).notNull().default('scheduled'),
    oldTopicId: rowId('old_topic_id'),
    newTopicId: rowId('new_topic_id'),
    replayedUpTo: rowId('replayed_up_to'),
    /** Only one open (scheduled or running) reassignment per customer: NULL once it is finished. */
    openSlot: int('open_slot', { unsigned: true }).default(1),
    error: varchar('error', { length: 1000 }),
    ...timestamps,
  },
  (t) => [uniqueIndex('reassignments_open_uq').on(t.customerId, t.openSlot), index('reassignments_due_idx').on(t.state, t.dueAt)],
)

/**
 * The client's 1–5 rating of a resolution (the `resolved` row of the assignment log it answers):
 * at most one per resolution, so a second press changes nothing.
 */
export const conversationRatings = mysqlTable(
  'conversation_ratings',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    resolutionId: rowId('resolution_id').notNull(),
    rating: tinyint('rating', { unsigned: true }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('conversation_ratings_resolution_uq').on(t.resolutionId), index('conversation_ratings_customer_idx').on(t.customerId)],
)

/**
 * The reason a `/transfer` prompt carries, for its agent buttons (`tf:n:<prompt>:…`) to hand to
 * the owner change: kept here, so nothing is read back from the prompt's text.
 */
export const transferPrompts = mysqlTable(
  'transfer_prompts',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    note: varchar('note', { length: 255 }).notNull(),
    ...timestamps,
  },
  (t) => [index('transfer_prompts_customer_idx').on(t.customerId)],
)
