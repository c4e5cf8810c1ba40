import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CronScheduler } from '../../src/cron/scheduler.js'
import { createLogger } from '../../src/logger.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/**
 * A job that runs every second (the broadcasts' progress) takes its named lock each run: on one
 * connection kept for the job, not a new connection (TCP, handshake, teardown) every second.
 */
describe('CronScheduler', () => {
  let testDb: TestDatabase
  afterAll(async () => testDb?.close())
  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 1 })
  })

  it("takes a job's lock on the same connection run after run, and lets it go at stop", async () => {
    const { db } = testDb
    const scheduler = new CronScheduler(testDb.url, createLogger('silent'))
    // The connections to this test's own database: the pool's one and the lock's.
    const connections = async () => {
      const [rows] = (await db.execute(sql`SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE()`)) as unknown as [Array<{ id: number }>]
      return rows.map((row) => Number(row.id))
    }
    const seen = new Set<number>()
    const job = { name: 'every-second', schedule: '* * * * * *', run: async () => void (await connections()).forEach((id) => seen.add(id)) }
    for (let run = 0; run < 3; run++) await scheduler.runOnce(job)
    expect(seen.size).toBe(2)
    await scheduler.stop()
    expect(await connections()).toHaveLength(1)
  })
})
