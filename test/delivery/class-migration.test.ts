import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { drizzle } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql from 'mysql2/promise'
import { describe, expect, inject, it } from 'vitest'
import { migrationsFolder, runMigrations } from '../../src/db/migrate.js'
import { testDatabasePrefix, urlForDatabase, withAdminConnection } from '../support/admin-connection.js'

/** The migrations folder of a release with lanes: its journal cut before the migration that renamed them. */
function folderWithLanes(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topicdesk-migrations-'))
  cpSync(migrationsFolder, dir, { recursive: true })
  const journalFile = join(dir, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
  const cut = journal.entries.findIndex((entry) => entry.tag.endsWith('_priority_classes'))
  expect(cut).toBeGreaterThan(0)
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }))
  return dir
}

describe('migrations to priority classes', () => {
  it('moves the rows in flight and the dead ones from their lane to its class, and leaves the sent history', async () => {
    const adminUrl = inject('adminDatabaseUrl')
    const name = `${testDatabasePrefix}${inject('testRunId')}_${process.pid}_classes_${randomBytes(3).toString('hex')}`
    await withAdminConnection(adminUrl, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`))
    const url = urlForDatabase(adminUrl, name)
    const older = folderWithLanes()
    const connection = await mysql.createConnection({ uri: url, timezone: 'Z', charset: 'utf8mb4' })
    try {
      await migrate(drizzle(connection), { migrationsFolder: older })
      const rows: Array<[string, string]> = [
        ['client_to_staff', 'pending'],
        ['staff_to_client', 'sending'],
        ['treatment', 'dead'],
        ['cs_prompts', 'pending'],
        ['cr_reassignment', 'pending'],
        ['cr_reassignment', 'sent'],
      ]
      for (const [lane, state] of rows)
        await connection.query(`INSERT INTO outbox (project_id, lane, destination, bot_id, job, state) VALUES (1, ?, 'topic:1', 7001, '{}', ?)`, [lane, state])
      await runMigrations(url)
      const [after] = (await connection.query('SELECT class FROM outbox ORDER BY id')) as unknown as [Array<{ class: string }>]
      expect(after.map((row) => row.class)).toEqual(['live', 'live', 'live', 'prompt', 'replay', 'cr_reassignment'])
    } finally {
      await connection.end()
      rmSync(older, { recursive: true, force: true })
      await withAdminConnection(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``))
    }
  })
})
