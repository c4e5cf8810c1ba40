import { datetime, index, mysqlTable, varchar } from 'drizzle-orm/mysql-core'

/**
 * Who does what among the service's instances (src/bots/ingress/instance-leases.ts): one row per
 * thing only one instance may do at a time (`poll:<bot id>`, `cron`, `webhook-redrive`), held by
 * an instance's random id until `expires_at` on the database's clock. Each instance renews all its
 * rows in one statement per heartbeat; a row whose holder is NULL or whose time ran out is free.
 */
export const leases = mysqlTable(
  'leases',
  {
    name: varchar('name', { length: 64 }).primaryKey(),
    holder: varchar('holder', { length: 36 }),
    expiresAt: datetime('expires_at', { mode: 'date', fsp: 3 }).notNull(),
  },
  (t) => [index('leases_holder_idx').on(t.holder)],
)
