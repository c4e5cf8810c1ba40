import { datetime, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, timestamps } from './columns.js'

/**
 * What a customer answered to a flow's question (`ask: product`): the latest answer per key.
 * Shown on the profile card; a broadcast segment may select on it.
 */
export const customerAnswers = mysqlTable(
  'customer_answers',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    key: varchar('answer_key', { length: 32 }).notNull(),
    value: varchar('value', { length: 1000 }).notNull(),
    answeredAt: datetime('answered_at', { mode: 'date', fsp: 3 }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('customer_answers_customer_key_uq').on(t.customerId, t.key), index('customer_answers_project_key_idx').on(t.projectId, t.key)],
)

/** Where a customer is in a command flow: the step whose question or buttons wait for them (one per customer). */
export const flowPositions = mysqlTable(
  'flow_positions',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    flow: varchar('flow', { length: 16 }).notNull(),
    step: varchar('step', { length: 16 }).notNull(),
    /** When the step was reached: a position older than the flows' idle limit is forgotten. */
    reachedAt: datetime('reached_at', { mode: 'date', fsp: 3 }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('flow_positions_customer_uq').on(t.customerId)],
)
