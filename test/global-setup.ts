import { randomBytes } from 'node:crypto'
import type { RowDataPacket } from 'mysql2/promise'
import type { TestProject } from 'vitest/node'
import { redactUrl, testDatabasePrefix, withAdminConnection } from './support/admin-connection.js'
import { migrateTemplate } from './support/schema-template.js'

/** Checks the database server once, shares its URL with the workers, and cleans up after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('DATABASE_URL is not set: npm test starts a database; run it via npm test or set DATABASE_URL')
  try {
    await withAdminConnection(adminUrl, (connection) => connection.query('SELECT 1'))
  } catch (error) {
    throw new Error(`the test database server at ${redactUrl(adminUrl)} does not answer: ${(error as Error).message}`)
  }

  const testRunId = randomBytes(4).toString('hex')
  project.provide('adminDatabaseUrl', adminUrl)
  project.provide('testRunId', testRunId)
  // Migrated once per run; every test database is created from its tables (support/database.ts).
  project.provide('schemaTemplate', await withAdminConnection(adminUrl, (connection) => migrateTemplate(connection, adminUrl, `${testDatabasePrefix}${testRunId}_template`)))

  // Files that failed before close() leave their databases behind; drop this run's leftovers.
  return async () => {
    await withAdminConnection(adminUrl, async (connection) => {
      const [rows] = await connection.query<Array<RowDataPacket & { name: string }>>('SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?', [
        `${testDatabasePrefix}${testRunId}\\_%`,
      ])
      for (const { name } of rows) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``)
    })
  }
}
