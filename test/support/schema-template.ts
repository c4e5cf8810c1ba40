import type { Connection, RowDataPacket } from 'mysql2/promise'
import { runMigrations } from '../../src/db/migrate.js'
import { urlForDatabase } from './admin-connection.js'

/** What a fresh test database is made from: the tables of a migrated database and the rows it holds. */
export interface SchemaTemplate {
  /** The migrated database itself (read by INSERT … SELECT for the rows). */
  database: string
  /** CREATE TABLE statements, as SHOW CREATE TABLE gives them (foreign keys, indexes, collations). */
  tables: string[]
  /** Tables with rows after the migrations (drizzle's journal): copied into every test database. */
  tablesWithRows: string[]
}

/**
 * Migrates one database for the run and reads its tables back. Creating a test database from
 * these statements takes a fraction of what running the migrations again takes (most files
 * make one or more databases), and gives the same tables, keys and journal.
 */
export async function migrateTemplate(connection: Connection, adminUrl: string, database: string): Promise<SchemaTemplate> {
  await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await runMigrations(urlForDatabase(adminUrl, database))
  const [names] = await connection.query<Array<RowDataPacket & { name: string }>>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
    [database],
  )
  const tables: string[] = []
  const tablesWithRows: string[] = []
  for (const { name } of names) {
    const [[created]] = await connection.query<Array<RowDataPacket & { 'Create Table': string }>>(`SHOW CREATE TABLE \`${database}\`.\`${name}\``)
    // The counter is the template's; a new table starts from 1.
    tables.push(created!['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''))
    const [[row]] = await connection.query<Array<RowDataPacket & { n: number }>>(`SELECT COUNT(*) AS n FROM \`${database}\`.\`${name}\``)
    if (Number(row!.n) > 0) tablesWithRows.push(name)
  }
  return { database, tables, tablesWithRows }
}

/** Creates `name` from the template: its tables, then the template's rows (foreign keys checked once all exist). */
export async function createFromTemplate(connection: Connection, name: string, template: SchemaTemplate): Promise<void> {
  const copies = template.tablesWithRows.map((table) => `INSERT INTO \`${name}\`.\`${table}\` SELECT * FROM \`${template.database}\`.\`${table}\``)
  await connection.query(
    [
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      `USE \`${name}\``,
      'SET foreign_key_checks = 0',
      ...template.tables,
      'SET foreign_key_checks = 1',
      ...copies,
    ].join(';\n'),
  )
}
