import { sql } from 'drizzle-orm'
import type { MySqlInsertValue, MySqlTable } from 'drizzle-orm/mysql-core'
import type { DbOrTx } from './client.js'

/**
 * Whether a multi-row insert's rows may be numbered from its first id, read once at start.
 * InnoDB numbers the rows of a "simple insert" (row count known in advance) consecutively, by
 * the session's `auto_increment_increment`, only with `innodb_autoinc_lock_mode` 0 or 1
 * (MariaDB's default is 1; MySQL 8's is 2, where concurrent inserts interleave). Never under
 * Galera (wsrep_on): it requires lock mode 2, and it changes the step of every open session when
 * the cluster grows or shrinks (measured on 10.11: 3 → 2 in a session kept open across a node's
 * death). Both are server settings that need a restart.
 */
export async function readMultiRowInsertIds(db: DbOrTx): Promise<boolean> {
  const [rows] = (await db.execute(sql`SHOW VARIABLES WHERE Variable_name IN ('innodb_autoinc_lock_mode', 'wsrep_on')`)) as unknown as [
    Array<{ Variable_name: string; Value: string }>,
  ]
  const value = (name: string) => rows.find((row) => row.Variable_name === name)?.Value
  return Number(value('innodb_autoinc_lock_mode') ?? 2) <= 1 && value('wsrep_on') !== 'ON'
}

/** Each connection's `auto_increment_increment`, read on its first multi-row insert (the service never sets it). */
const stepOfConnection = new WeakMap<object, number>()

/** The connection `tx` runs on when it holds one (a transaction), not a pool. */
function connectionOf(tx: DbOrTx): object | undefined {
  const client = (tx as unknown as { session?: { client?: { connection?: object; getConnection?: unknown } } }).session?.client
  return client && !client.getConnection ? client.connection : undefined
}

/**
 * Inserts `rows` into `table` and returns their ids in order: one multi-row insert when
 * `multiRow` (see readMultiRowInsertIds) and `tx` holds one connection — the first id is the
 * insert's, the others follow by that connection's step (1, or what a multi-primary setup gives
 * it: auto_increment_increment is per session) — else one insert a row.
 */
export async function insertRowsWithIds<T extends MySqlTable>(tx: DbOrTx, table: T, rows: Array<MySqlInsertValue<T>>, multiRow: boolean): Promise<number[]> {
  const connection = multiRow && rows.length > 1 ? connectionOf(tx) : undefined
  if (!connection) {
    const ids: number[] = []
    for (const row of rows) {
      const [result] = await tx.insert(table).values(row)
      ids.push(Number(result.insertId))
    }
    return ids
  }
  const [result] = await tx.insert(table).values(rows)
  const step = stepOfConnection.get(connection) ?? (await readStep(tx, connection))
  return rows.map((_, i) => Number(result.insertId) + i * step)
}

async function readStep(tx: DbOrTx, connection: object): Promise<number> {
  const [rows] = (await tx.execute(sql`SELECT @@SESSION.auto_increment_increment AS step`)) as unknown as [Array<{ step: number | string }>]
  const step = Number(rows[0]?.step ?? 1)
  stepOfConnection.set(connection, step)
  return step
}
