import { runMigrations } from './migrate.js'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('migrate: DATABASE_URL is not set (npm run db:start prints a local one)')
  process.exit(1)
}
try {
  await runMigrations(url)
  console.error('migrate: database is up to date')
} catch (error) {
  console.error(`migrate: failed: ${(error as Error).message}`)
  process.exit(1)
}
