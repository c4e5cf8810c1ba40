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

/** Statements exempt from the project condition, each for the reason given. Keep it short. */
export const ALLOWED_UNSCOPED: RegExp[] = [
  // By primary key (then perhaps a guard on its state), of a row the caller read or wrote within its project.
  /where \(?`(system_topics|assignments|customers|accounts|topics|relay_links|outbox|reassignments|messages|broadcasts|assistant_jobs)`\.`id` = \?( and .*\))?( for update)?$/,
  // The topics of one message's copies, by the ids the caller read within its project (touched in one update).
  /^update `topics` set `last_activity_at` = \?, `updated_at` = \? where `topics`\.`id` in \(\?(, \?)*\)$/,
  // By the row id of a customer or a message found within the project: its topics, messages, plans, copies.
  /^select .* from `(topics|messages|reassignments)` where \(`\1`\.`customer_id` = \? and /,
  /^select .* from `relay_links` where \(?`relay_links`\.`message_id` = \?/,
  // Stored updates by (bot_id, update_id), their primary key, or a bot's redrive: the bot is one of the running project's.
  /from `updates` where \(`updates`\.`bot_id` = \? and /,
  // The instance's redrive: one scan over the bots this instance polls (their ids come from the running projects).
  /^select .* from `updates` where \(`updates`\.`state` = \? and `updates`\.`bot_id` in \(\?(, \?)*\) and /,
  /^update `updates` set .* where \(`updates`\.`bot_id` = \? and `updates`\.`update_id` = \?\)$/,
  /^update `updates` set .* where \(`updates`\.`bot_id` = \? and `updates`\.`update_id` in \(\?(, \?)*\)\)$/,
  // A diversion link's URL names no project: its code is unique across projects, and the row says which.
  /^select .* from `links` where \(`links`\.`code` = \? and `links`\.`enabled` = \?\)$/,
  // A broadcast's rows, by the id of the broadcast the caller read within its project (counted from the index alone).
  /^select `state`, COUNT\(\*\) from `outbox` where `outbox`\.`broadcast_id` = \? group by `outbox`\.`state`$/,
  // The outbox backlog gauge (readiness, metrics) counts all projects on purpose.
  /^select count\(\*\) from `outbox` where `outbox`\.`state` in \(\?, \?\)$/,
]

/**
 * The distinct SELECT/UPDATE/DELETE statements that read or change a project-owned table without
 * a project condition on it: each such table the statement names needs its own
 * `` `table`.`project_id` `` (or, when it is the only table, an unqualified `project_id`).
 * `allowed` are the statements exempted on purpose (`ALLOWED_UNSCOPED`, each with its reason).
 */
export function unscopedStatements(statements: string[], ownedTables: string[], allowed: RegExp[] = ALLOWED_UNSCOPED): string[] {
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
