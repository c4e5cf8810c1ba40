import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { drizzle } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql from 'mysql2/promise'
import { describe, expect, inject, it } from 'vitest'
import { migrationsFolder, runMigrations } from '../../src/db/migrate.js'
import { decodeDestination } from '../../src/delivery/destination.js'
import { testDatabasePrefix, urlForDatabase, withAdminConnection } from '../support/admin-connection.js'

/** The migrations folder as it was before `tag` (its journal cut there): a database of an older release. */
function foldersBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'topicdesk-migrations-'))
  cpSync(migrationsFolder, dir, { recursive: true })
  const journalFile = join(dir, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
  const cut = journal.entries.findIndex((entry) => entry.tag === tag)
  expect(cut).toBeGreaterThan(0)
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }))
  return dir
}

describe('migration 0011: a private chat per bot', () => {
  it('rewrites the destinations of rows in flight to name their bot, and leaves the rest', async () => {
    const adminUrl = inject('adminDatabaseUrl')
    const name = `${testDatabasePrefix}${inject('testRunId')}_${process.pid}_m11_${randomBytes(3).toString('hex')}`
    await withAdminConnection(adminUrl, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`))
    const url = urlForDatabase(adminUrl, name)
    const older = foldersBefore('0011_private_chat_per_bot')
    const connection = await mysql.createConnection({ uri: url, timezone: 'Z', charset: 'utf8mb4' })
    try {
      await migrate(drizzle(connection), { migrationsFolder: older })
      // Rows an older release queued: private chats without their bot, a group, topics, history.
      const rows: Array<[string, string, number]> = [
        ['chat:42', 'pending', 7001],
        ['chat:42', 'sending', 8001],
        ['chat:42:aside', 'pending', 7001],
        ['chat:43', 'dead', 7001],
        ['chat:42', 'sent', 7001],
        ['chat:-1001234', 'pending', 7002],
        ['topic:5', 'pending', 7002],
        ['system:2:aside', 'pending', 7002],
      ]
      for (const [destination, state, botId] of rows)
        await connection.query(`INSERT INTO outbox (project_id, lane, destination, bot_id, job, state) VALUES (1, 'staff_to_client', ?, ?, '{}', ?)`, [destination, botId, state])
      await runMigrations(url)
      const [after] = (await connection.query('SELECT destination FROM outbox ORDER BY id')) as unknown as [Array<{ destination: string }>]
      expect(after.map((row) => row.destination)).toEqual([
        'chat:42:bot:7001',
        'chat:42:bot:8001',
        'chat:42:bot:7001:aside',
        'chat:43:bot:7001',
        'chat:42',
        'chat:-1001234',
        'topic:5',
        'system:2:aside',
      ])
      // Every form, new and old, still reads back.
      for (const row of after) expect(decodeDestination(row.destination), row.destination).toBeDefined()
      expect(decodeDestination('chat:42:bot:8001')).toEqual({ kind: 'private_chat', userId: 42, botId: 8001 })
    } finally {
      await connection.end()
      rmSync(older, { recursive: true, force: true })
      await withAdminConnection(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``))
    }
  })
})
