import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql from 'mysql2/promise'
import { isNodeDown } from './failover-pool.js'

/** The drizzle-kit output folder, found from this file so the cwd does not matter. */
export const migrationsFolder = fileURLToPath(new URL('../../migrations/', import.meta.url))

/**
 * Applies pending migrations on one dedicated connection (a pool could split a migration's
 * statements), to the first of `urls` that answers (the nodes of a cluster, in order).
 */
export async function runMigrations(urls: string | readonly string[]): Promise<void> {
  const candidates = typeof urls === 'string' ? [urls] : urls
  let connection: mysql.Connection | undefined
  for (const [i, uri] of candidates.entries()) {
    try {
      connection = await mysql.createConnection({ uri, timezone: 'Z', charset: 'utf8mb4' })
      break
    } catch (error) {
      if (i === candidates.length - 1 || !isNodeDown(error)) throw error
    }
  }
  try {
    await migrate(drizzle(connection!), { migrationsFolder })
  } finally {
    await connection!.end()
  }
}
