import { sql } from 'drizzle-orm'
import { date, datetime, index, int, longtext, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, timestamps } from './columns.js'

export const assistantJobStates = ['pending', 'running', 'done', 'failed'] as const
export type AssistantJobState = (typeof assistantJobStates)[number]

/**
 * The assistant's own durable queue (not the outbox, which is for Telegram calls): one row per
 * piece of assistant work (a suggestion, a translation…), queued in the domain's transaction and
 * run by `src/assistant/worker.ts`. A provider that fails costs its job only.
 */
export const assistantJobs = mysqlTable(
  'assistant_jobs',
  {
    id: primaryId(),
    ...projectScope,
    /** The customer the work is about, if any: `customer forget` erases their jobs' payloads and results. */
    customerId: rowId('customer_id'),
    /** The handler's kind (`src/assistant/jobs/index.ts`). */
    kind: varchar('kind', { length: 48 }).notNull(),
    /** JSON (written and read by `domain/assistant/jobs.ts` and the worker). */
    payload: longtext('payload').notNull(),
    state: varchar('state', { length: 12, enum: assistantJobStates }).notNull().default('pending'),
    attempts: int('attempts', { unsigned: true }).notNull().default(0),
    dueAt: datetime('due_at', { mode: 'date', fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    /** A running job's lease (DB clock): a crashed worker's job is taken again after it. */
    leaseUntil: datetime('lease_until', { mode: 'date', fsp: 3 }),
    /** How it ended: `done`, or why not (`timeout`, `rate_limited`, `failed`, `cap_reached`, `disabled`, `error`). */
    outcome: varchar('outcome', { length: 16 }),
    /** What the handler returned, as JSON (small; the handlers keep their own records). */
    result: longtext('result'),
    ...timestamps,
  },
  (t) => [
    index('assistant_jobs_due_idx').on(t.state, t.dueAt),
    index('assistant_jobs_project_idx').on(t.projectId, t.state),
    index('assistant_jobs_customer_idx').on(t.customerId),
  ],
)

/** Tokens a project spent per UTC day, as the provider counted them (the `maxTokensPerDay` cap). */
export const assistantTokenUsage = mysqlTable(
  'assistant_token_usage',
  {
    ...projectScope,
    day: date('day', { mode: 'string' }).notNull(),
    tokens: int('tokens', { unsigned: true }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.day] })],
)
