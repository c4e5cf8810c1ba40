import { sql } from 'drizzle-orm'
import type { Database, QueryLogger } from '../../src/db/client.js'

/** Every statement the service sent through drizzle, in order (hand it to `startApp` as `queryLogger`). */
export interface QueryRecorder extends QueryLogger {
  statements: string[]
}

export function createQueryRecorder(): QueryRecorder {
  const statements: string[] = []
  return { statements, logQuery: (query) => void statements.push(query) }
}

/** The project-owned tables: every table with a `project_id` column. */
export async function projectOwnedTables(db: Database): Promise<string[]> {
  const [rows] = (await db.execute(sql`SELECT table_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND column_name = 'project_id'`)) as unknown as [
    Array<{ name: string }>,
  ]
  return rows.map((row) => row.name)
}

/**
 * The distinct SELECT/UPDATE/DELETE statements that read or change a project-owned table without
 * a project condition on it: each such table the statement names needs its own
 * `` `table`.`project_id` `` (or, when it is the only table, an unqualified `project_id`).
 * `allowed` are patterns of statements exempted on purpose (say why next to each).
 */
export function unscopedStatements(statements: string[], ownedTables: string[], allowed: RegExp[] = []): string[] {
  const owned = new Set(ownedTables)
  const found = new Set<string>()
  for (const statement of statements) {
    if (!/^\s*(select|update|delete)\b/i.test(statement)) continue
    const tables = [...new Set([...statement.matchAll(/\b(?:from|join|update)\s+`(\w+)`/gi)].map((m) => m[1]!))]
    const unscoped = tables.filter(
      (table) => owned.has(table) && !statement.includes(`\`${table}\`.\`project_id\``) && !(tables.length === 1 && /\bwhere\b[\s\S]*`project_id`/i.test(statement)),
    )
    if (unscoped.length > 0 && !allowed.some((pattern) => pattern.test(statement))) found.add(statement)
  }
  return [...found]
}
