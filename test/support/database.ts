import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { createDatabase, type Database } from '../../src/db/client.js'
import { runMigrations } from '../../src/db/migrate.js'
import { testDatabasePrefix, urlForDatabase, withAdminConnection } from './admin-connection.js'
import { createFromTemplate } from './schema-template.js'

export interface TestDatabase {
  url: string
  db: Database
  close(): Promise<void>
}

let counter = 0

/**
 * A fresh, migrated database of its own, so test files can run in parallel (forks) on one server.
 * Its tables come from the run's migrated template (the same statements, keys and journal), or
 * with `runMigrations: true` from the migrations themselves. close() ends the pool and drops it.
 */
export async function createTestDatabase(options: { poolSize?: number; runMigrations?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl')
  counter += 1
  const name = `${testDatabasePrefix}${inject('testRunId')}_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`
  const url = urlForDatabase(adminUrl, name)
  if (options.runMigrations) {
    await withAdminConnection(adminUrl, (connection) => connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`))
    await runMigrations(url)
  } else {
    await withAdminConnection(adminUrl, (connection) => createFromTemplate(connection, name, inject('schemaTemplate')), { multipleStatements: true })
  }
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
