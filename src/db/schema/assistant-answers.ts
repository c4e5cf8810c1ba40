import { boolean, datetime, index, mysqlTable, primaryKey, text, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, timestamps } from './columns.js'

/**
 * Every automatic answer of answer mode (issue 19): the client's question (its stored message),
 * the answer sent, its sources, whether retrieval was confident, and when the client asked for a
 * person after it (`handedOverAt`; NULL: not handed over). `/stats` reads the handover rate here.
 */
export const assistantAnswers = mysqlTable(
  'assistant_answers',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    /** The stored client message it answers (`messages.id`). */
    messageRowId: rowId('message_row_id').notNull(),
    text: text('text').notNull(),
    /** The passages' citations (`file#section`), JSON array. */
    sources: text('sources').notNull(),
    confident: boolean('confident').notNull(),
    handedOverAt: datetime('handed_over_at', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [index('assistant_answers_customer_idx').on(t.projectId, t.customerId), index('assistant_answers_created_idx').on(t.projectId, t.createdAt)],
)

/** A conversation the client handed over to a person: the assistant stays quiet in it until it is resolved (the row is then deleted). */
export const assistantHandovers = mysqlTable(
  'assistant_handovers',
  {
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    since: datetime('since', { mode: 'date', fsp: 3 }).notNull(),
    /** Why: `person` ("Talk to a person"). */
    reason: varchar('reason', { length: 16 }).notNull().default('person'),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.customerId] })],
)
