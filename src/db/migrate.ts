import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql from 'mysql2/promise'

/** The drizzle-kit output folder, found from this file so the cwd does not matter. */
export const migrationsFolder = fileURLToPath(new URL('../../migrations/', import.meta.url))

/** Applies pending migrations on one dedicated connection (a pool could split a migration's statements). */
export async function runMigrations(url: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: url, timezone: 'Z', charset: 'utf8mb4' })
  try {
    await migrate(drizzle(connection), { migrationsFolder })
  } finally {
    await connection.end()
  }
}
