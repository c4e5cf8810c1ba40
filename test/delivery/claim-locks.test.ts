import { sql, TransactionRollbackError } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type DatabaseHandle, type DbOrTx } from '../../src/db/client.js'
import { claimJobs, releaseExpiredLeases } from '../../src/delivery/outbox.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/**
 * A claim reads more rows than it takes: the class's waiting rows, each destination's first
 * waiting and sending rows. Read with locks, those reads waited for every transaction writing one
 * of them (a message's rows being queued, a copy being recorded) and deadlocked with the other
 * claims reading the same rows (173 deadlocks in one capacity run, each retried after a backoff).
 * A claim (and the lease release, which deadlocked with copies' records) must wait for no lock
 * on a row it does not take: here the writers keep their transactions open, and the claiming
 * session gives up on a lock after 1 s.
 */
let t: TestDatabase
let workers: DatabaseHandle
let writer: DatabaseHandle

beforeAll(async () => {
  t = await createTestDatabase()
  workers = createDatabase(t.url, { poolSize: 1, readCommitted: true })
  await workers.db.execute(sql`SET SESSION innodb_lock_wait_timeout = 1`)
  writer = createDatabase(t.url, { poolSize: 1, readCommitted: true })
})
afterEach(async () => t.db.execute(sql`DELETE FROM outbox`))
afterAll(async () => {
  await Promise.all([workers?.close(), writer?.close()])
  await t?.close()
})

async function addRow(db: DbOrTx, destination: string, state: 'pending' | 'sending' = 'pending'): Promise<number> {
  const [result] = (await db.execute(
    sql`INSERT INTO outbox (project_id, class, destination, bot_id, job, state) VALUES (1, 'live', ${destination}, 1, '{"type":"text"}', ${state})`,
  )) as unknown as [{ insertId: number }]
  return Number(result.insertId)
}

/** Runs `during` while a transaction of the writer's holds what `hold` wrote, then rolls it back. */
async function whileHeld<T>(hold: (tx: DbOrTx) => Promise<unknown>, during: () => Promise<T>): Promise<T> {
  let held!: () => void
  let release!: () => void
  const holding = new Promise<void>((resolve) => (held = resolve))
  const released = new Promise<void>((resolve) => (release = resolve))
  const transaction = writer.db
    .transaction(async (tx) => {
      await hold(tx)
      held()
      await released
      tx.rollback()
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error
    })
  await Promise.race([holding, transaction])
  try {
    return await during()
  } finally {
    release()
    await transaction
  }
}

describe('a claim and the rows it does not take', () => {
  it('passes over a row still being queued, without waiting for its transaction', async () => {
    // The lowest waiting id, not committed yet: the first row the claim's walk meets.
    const claimed = await whileHeld(
      (tx) => addRow(tx, 'topic:queued'),
      async () => {
        await addRow(t.db, 'topic:a')
        await addRow(t.db, 'topic:b')
        return claimJobs(workers.db, 'live', 8)
      },
    )
    expect(claimed.map((row) => row.destination).sort()).toEqual(['topic:a', 'topic:b'])
  })

  it('waits for no copy being recorded when it checks a destination for a row being sent', async () => {
    const sending = await addRow(t.db, 'topic:busy', 'sending')
    await addRow(t.db, 'topic:busy')
    await addRow(t.db, 'topic:free')
    // The row being sent is marked sent by a transaction still open (a copy's record, say).
    const claimed = await whileHeld(
      (tx) => tx.execute(sql`UPDATE outbox SET state = 'sent' WHERE id = ${sending}`),
      () => claimJobs(workers.db, 'live', 8),
    )
    // The busy destination's next row waits for the committed state; the other goes.
    expect(claimed.map((row) => row.destination)).toEqual(['topic:free'])
  })

  it('lets the lease release pass over rows being recorded, whose lease has not run out', async () => {
    const sending = await addRow(t.db, 'topic:busy', 'sending')
    await t.db.execute(sql`UPDATE outbox SET locked_until = CURRENT_TIMESTAMP(3) + INTERVAL 60 SECOND WHERE id = ${sending}`)
    const released = await whileHeld(
      (tx) => tx.execute(sql`UPDATE outbox SET state = 'sent' WHERE id = ${sending}`),
      () => releaseExpiredLeases(workers.db),
    )
    expect(released).toBe(0)
  })
})
