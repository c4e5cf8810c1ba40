import { defineConfig } from 'drizzle-kit'

// Only `drizzle-kit generate` is used: push/pull break on MariaDB's JSON CHECK constraints.
export default defineConfig({
  dialect: 'mysql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/topicdesk' },
})
