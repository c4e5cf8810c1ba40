import mysql, { type Connection } from 'mysql2/promise'

/** Runs fn on a short-lived connection to the admin URL (creating and dropping test databases). */
export async function withAdminConnection<T>(adminUrl: string, fn: (connection: Connection) => Promise<T>, o: { multipleStatements?: boolean } = {}): Promise<T> {
  const connection = await mysql.createConnection({ uri: adminUrl, charset: 'utf8mb4', multipleStatements: o.multipleStatements ?? false })
  try {
    return await fn(connection)
  } finally {
    await connection.end()
  }
}

/** The admin URL pointed at another database on the same server. */
export function urlForDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** The URL without its password, for error messages. */
export function redactUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}

export const testDatabasePrefix = 'td_test_'
