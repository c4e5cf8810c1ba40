import { mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { projectScope, telegramId, timestamps, primaryId } from './columns.js'

/** The staff roster, mirrored from config at start-up so audit rows can reference it. */
export const staff = mysqlTable(
  'staff',
  {
    id: primaryId(),
    ...projectScope,
    telegramUserId: telegramId('telegram_user_id').notNull(),
    displayName: varchar('display_name', { length: 255 }).notNull(),
    /** Comma-separated roles (cs, cs_lead, cr, treatment). */
    roles: varchar('roles', { length: 255 }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('staff_project_user_uq').on(t.projectId, t.telegramUserId)],
)
