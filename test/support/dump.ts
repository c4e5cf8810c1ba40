import { sql } from 'drizzle-orm'
import type { Database } from '../../src/db/client.js'

/** One cell of a database dump: where it is and its text. */
export interface DumpCell {
  table: string
  column: string
  text: string
}

/**
 * Every cell of every table of the connection's database (information_schema, then SELECT * of
 * each), serialised to text: what a full dump of the database would show.
 */
export async function dumpDatabase(db: Database): Promise<DumpCell[]> {
  const [tables] = (await db.execute(
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )) as unknown as [Array<{ name: string }>]
  const cells: DumpCell[] = []
  for (const { name } of tables) {
    const [rows] = (await db.execute(sql.raw(`SELECT * FROM \`${name}\``))) as unknown as [Array<Record<string, unknown>>]
    for (const row of rows) for (const [column, value] of Object.entries(row)) if (value !== null) cells.push({ table: name, column, text: cellText(value) })
  }
  return cells
}

function cellText(value: unknown): string {
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (typeof value === 'string') return value
  if (typeof value === 'bigint') return value.toString()
  return JSON.stringify(value) ?? ''
}
