import { sql } from 'drizzle-orm'
import type { DbOrTx } from './client.js'

/**
 * The id step between the rows of one multi-row insert, when the server numbers them
 * consecutively; undefined when it may not. InnoDB guarantees consecutive ids to a "simple
 * insert" (row count known in advance) only with `innodb_autoinc_lock_mode` 0 or 1 (MariaDB's
 * default is 1, MySQL 8's is 2, where concurrent inserts interleave). The step is
 * `auto_increment_increment` (1 unless a multi-primary cluster sets it). Read once at start:
 * both are server-wide settings that need a restart (lock mode) or are fixed per deployment.
 */
export async function readInsertIdStep(db: DbOrTx): Promise<number | undefined> {
  const [rows] = (await db.execute(sql`SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step`)) as unknown as [
    Array<{ mode: number | string; step: number | string }>,
  ]
  const row = rows[0]
  return row && Number(row.mode) <= 1 ? Number(row.step) : undefined
}
