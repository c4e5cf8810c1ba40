import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { migrationsFolder } from '../db/migrate.js'
import { fail, pass, type CheckRow } from './check.js'

interface JournalEntry {
  tag: string
  when: number
}

/**
 * The database of `database.urls`: with one node, `checkDatabase`; with several (Galera), whether
 * each node answers (the service writes through the first that does, and moves on when it fails:
 * a node down is a cluster running without its spare), then the server and migrations of the first
 * node that answered.
 */
export async function checkDatabases(urls: readonly string[]): Promise<CheckRow[]> {
  if (urls.length === 1) return checkDatabase(urls[0]!)
  const rows: CheckRow[] = []
  let checked = false
  for (const url of urls) {
    if (!checked) {
      const node = await checkDatabase(url)
      checked = node.some((row) => row.subject === 'server')
      rows.push(...(checked ? [pass('database', redact(url), 'answers: the service writes through it'), ...node] : node))
    } else {
      rows.push(await reachable(url))
    }
  }
  return rows
}

/** Whether a further node of the cluster answers. */
async function reachable(url: string): Promise<CheckRow> {
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 5_000 })
    await connection.end()
    return pass('database', redact(url), 'answers (a node to fail over to)')
  } catch (error) {
    return fail(
      'database',
      redact(url),
      `cannot connect: ${(error as Error).message}`,
      'start that node again (or remove it from database.urls): the service has one node fewer to fail over to',
    )
  }
}

/**
 * Connects to the database, reports the server version and the migrations not applied yet.
 * drizzle's migrator applies every journal entry newer than the last recorded `created_at`.
 */
export async function checkDatabase(url: string): Promise<CheckRow[]> {
  let connection: mysql.Connection
  try {
    connection = await mysql.createConnection({ uri: url, connectTimeout: 5_000 })
  } catch (error) {
    return [
      fail('database', redact(url), `cannot connect: ${(error as Error).message}`, 'check database.url(s) / DATABASE_URL(S), that the server runs and that the user may log in'),
    ]
  }
  try {
    const [versionRows] = (await connection.query('SELECT VERSION() AS version')) as unknown as [Array<{ version: string }>]
    const version = versionRows[0]?.version ?? 'unknown'
    const rows: CheckRow[] = [versionRow(version)]
    const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }
    const last = await lastAppliedMigration(connection)
    const pending = journal.entries.filter((entry) => last === undefined || entry.when > last)
    rows.push(
      pending.length === 0
        ? pass('database', 'migrations', `all ${journal.entries.length} applied`)
        : fail('database', 'migrations', `${pending.length} pending: ${pending.map((e) => e.tag).join(', ')}`, 'run `npm run migrate` (the service also applies them at start-up)'),
    )
    return rows
  } finally {
    await connection.end()
  }
}

function versionRow(version: string): CheckRow {
  const maria = /mariadb/i.exec(version)
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number)
  const supported = maria ? major > 10 || (major === 10 && minor >= 11) : major >= 8
  const name = maria ? `MariaDB ${version}` : `MySQL ${version}`
  return supported ? pass('database', 'server', name) : fail('database', 'server', `${name} is older than supported`, 'use MySQL 8.0+ or MariaDB 10.11+')
}

async function lastAppliedMigration(connection: mysql.Connection): Promise<number | undefined> {
  try {
    const [rows] = (await connection.query('SELECT MAX(created_at) AS last FROM `__drizzle_migrations`')) as unknown as [Array<{ last: string | number | null }>]
    const last = rows[0]?.last
    return last === null || last === undefined ? undefined : Number(last)
  } catch {
    return undefined // no migration table yet: everything is pending
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}
