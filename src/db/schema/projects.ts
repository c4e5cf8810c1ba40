import { int, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { timestamps } from './columns.js'

/** One isolated brand/tenant. Config is the source of truth; rows are upserted at start-up. */
export const projects = mysqlTable(
  'projects',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    key: varchar('key', { length: 64 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('projects_key_uq').on(t.key)],
)
