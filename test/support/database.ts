import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { createDatabase, type Database } from '../../src/db/client.js'
import { runMigrations } from '../../src/db/migrate.js'
import { testDatabasePrefix, urlForDatabase, withAdminConnection } from './admin-connection.js'

export interface TestDatabase {
  url: string
  db: Database
  close(): Promise<void>
}

let counter = 0

/**
 * A fresh, migrated database of its own, so test files can run in parallel (forks) on one server.
 * close() ends the pool and drops the database.
 */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl')
  counter += 1
  const name = `${testDatabasePrefix}${inject('testRunId')}_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`
  await withAdminConnection(adminUrl, (connection) => connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`))
  const url = urlForDatabase(adminUrl, name)
  await runMigrations(url)
  const handle = createDatabase(url, { poolSize: options.poolSize ?? 5 })
  return {
    url,
    db: handle.db,
    async close() {
      await handle.close()
      await withAdminConnection(adminUrl, (connection) => connection.query(`DROP DATABASE IF EXISTS \`${name}\``))
    },
  }
}
