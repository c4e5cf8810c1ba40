import mysql from 'mysql2/promise'

/** A fresh database for one demo run on the server DATABASE_URL points at; dropped afterwards. */
export async function createDemoDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `topicdesk_demo_${Date.now()}`
  const connection = await mysql.createConnection({ uri: serverUrl })
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await connection.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const admin = await mysql.createConnection({ uri: serverUrl })
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await admin.end()
    },
  }
}
