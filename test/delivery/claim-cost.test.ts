import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/client.js'
import { claimJobs, classDueTimes } from '../../src/delivery/outbox.js'
import { outboxJobs } from '../../src/delivery/jobs/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/**
 * What a claim reads must not grow with the outbox's history: sent rows stay in the table (until
 * retention), and a claim that walked them cost 76 ms and 17,000 row reads per call in the bench's
 * max-rate phase. Counted with the session's handler counters on a one-connection pool (a count,
 * not a timing).
 */
let t: TestDatabase
let db: Database
const DESTINATIONS = 50

async function rowReads(): Promise<number> {
  const [rows] = (await db.execute(sql`SHOW SESSION STATUS LIKE 'Handler_read%'`)) as unknown as [Array<{ Variable_name: string; Value: string }>]
  return rows.reduce((sum, row) => sum + Number(row.Value), 0)
}

async function addRows(state: 'sent' | 'pending', perDestination: number): Promise<void> {
  const values = []
  for (let i = 0; i < perDestination; i++) for (let d = 0; d < DESTINATIONS; d++) values.push(sql`(1, 'live', ${`topic:${d}`}, 1, '{"type":"relay","linkId":1}', ${state})`)
  for (let i = 0; i < values.length; i += 1000)
    await db.execute(sql`INSERT INTO outbox (project_id, class, destination, bot_id, job, state) VALUES ${sql.join(values.slice(i, i + 1000), sql`, `)}`)
}

/** Row reads of one call, after a warm-up call of the same statement. */
async function readsOf(call: () => Promise<unknown>): Promise<number> {
  const before = await rowReads()
  await call()
  return (await rowReads()) - before - 1 // the counter query itself reads its own status rows
}

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 1 })
  db = t.db
  await addRows('sent', 100) // 5,000 rows of history
  await addRows('pending', 20) // 1,000 waiting, 20 per destination
  await db.execute(sql`ANALYZE TABLE outbox`)
})
afterAll(async () => t?.close())

describe('the cost of a claim', () => {
  it('reads a few rows per claimed row, not the sent history or every waiting row', async () => {
    const reads = await readsOf(() => claimJobs(db, 'live', 8, 60, outboxJobs.linkPrefetching))
    // 8 heads of 8 destinations, each a few dozen index reads at most: its turn, its parent, the
    // update, and the read-back (its destination's first rows; a copy's link, message and topic).
    expect(reads).toBeLessThan(8 * 30)
    const again = await readsOf(() => claimJobs(db, 'live', 8, 60, outboxJobs.linkPrefetching))
    expect(again).toBeLessThan(8 * 30)
  })

  it('finds when each class is next due with a few index reads, whatever waits', async () => {
    const reads = await readsOf(() => classDueTimes(db))
    expect(reads).toBeLessThan(50)
  })
})
