import { createDatabase, type Database } from '../db/client.js'

/**
 * Runs a command-line tool against DATABASE_URL: opens one connection, runs `main`, closes it
 * and exits with main's code (2 when DATABASE_URL is missing, 1 on an unexpected error).
 */
export function runWithDatabase(main: (db: Database, argv: string[]) => Promise<number>): void {
  const run = async (): Promise<number> => {
    const url = process.env.DATABASE_URL
    if (!url) {
      console.error('DATABASE_URL is not set')
      return 2
    }
    const { db, close } = createDatabase(url, { poolSize: 1 })
    try {
      return await main(db, process.argv.slice(2))
    } finally {
      await close()
    }
  }
  run().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error)
      process.exit(1)
    },
  )
}
