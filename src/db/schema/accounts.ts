import { boolean, datetime, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { projectScope, timestamps, primaryId } from './columns.js'

/** Internal account records a client proves ownership of by giving the account email. */
export const accounts = mysqlTable(
  'accounts',
  {
    id: primaryId(),
    ...projectScope,
    email: varchar('email', { length: 254 }).notNull(),
    displayName: varchar('display_name', { length: 255 }).notNull(),
    externalId: varchar('external_id', { length: 128 }).notNull(),
    crTeamHint: varchar('cr_team_hint', { length: 64 }),
    treatment: boolean('treatment').notNull().default(false),
    status: varchar('status', { length: 16, enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    /** When CS was last told that someone else gave this account's email (at most once an hour). */
    linkConflictAlertedAt: datetime('link_conflict_alerted_at', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [uniqueIndex('accounts_project_email_uq').on(t.projectId, t.email)],
)
