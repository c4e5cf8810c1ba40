import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InstanceLeases } from '../../src/bots/ingress/instance-leases.js'
import { createDatabase, type Database } from '../../src/db/client.js'
import { storeUpdates, earlierUpdateInTheWay, releaseUpdateClaimsOf } from '../../src/db/repositories/updates.js'
import { leases as leaseRows, outbox, updates } from '../../src/db/schema/index.js'
import { releaseClaimsOf } from '../../src/delivery/lost-claims.js'
import { claimJobs, enqueue } from '../../src/delivery/outbox.js'
import { createLogger } from '../../src/logger.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { pollUntil } from '../support/poll.js'

/** Short leases, so a loss is seen within a second. */
const TIMES = { heartbeatMs: 100, ttlMs: 300 }
const BOTS = Array.from({ length: 40 }, (_, i) => `poll:${1000 + i}`)

let testDb: TestDatabase
beforeAll(async () => {
  testDb = await createTestDatabase({ poolSize: 4 })
})
afterAll(() => testDb?.close())

/** The database as one instance reaches it: each statement counted, and none answered (a network cut) once `cut` is set. */
function link(db: Database) {
  const state = { cut: false, statements: 0 }
  const hang = new Promise<never>(() => {})
  const proxied = new Proxy(db, {
    get: (target, key, receiver) =>
      key === 'execute'
        ? (...args: Parameters<Database['execute']>) => {
            state.statements += 1
            return state.cut ? hang : target.execute(...args)
          }
        : (Reflect.get(target, key, receiver) as unknown),
  })
  return { db: proxied, state }
}

/** Two instances wanting the same bots; `events` records, in order, each lease an instance gained or lost. Each releases the claims of lost instances as app.ts has it. */
function twoInstances(times = TIMES) {
  const logger = createLogger('silent')
  const events: string[] = []
  const instances = ['a', 'b'].map((label) => {
    const { db, state } = link(testDb.db)
    const leases = new InstanceLeases(db, logger, times, (instanceIds) =>
      Promise.all([releaseClaimsOf(testDb.db, instanceIds), releaseUpdateClaimsOf(testDb.db, instanceIds)]),
    )
    for (const name of BOTS) {
      const lease = leases.want(name)
      void (async () => {
        for (let held = false; ;) {
          await lease.changed()
          if (lease.held === held) continue
          held = lease.held
          events.push(`${label} ${held ? 'gained' : 'lost'} ${name}`)
        }
      })()
    }
    return { label, leases, link: state }
  })
  return { events, a: instances[0]!, b: instances[1]! }
}

describe('instance leases', () => {
  it('give each bot to one instance, to the other at its next heartbeat when the holder stops, in one statement a heartbeat', async () => {
    // Heartbeats driven by the test (the timers' would come a minute later).
    const { a, b } = twoInstances({ heartbeatMs: 60_000, ttlMs: 180_000 })
    try {
      await a.leases.start()
      await b.leases.start()
      expect(a.leases.heldNames().sort()).toEqual([...BOTS].sort())
      expect(b.leases.heldNames()).toEqual([])

      // Idle, the holder of 40 leases renews them (and its own) in one statement a heartbeat; the other renews its own and tries to take them in one more.
      a.link.statements = b.link.statements = 0
      for (let beat = 0; beat < 5; beat++) await Promise.all([a.leases.heartbeat(), b.leases.heartbeat()])
      expect([a.link.statements, b.link.statements]).toEqual([5, 10])

      await a.leases.stop()
      expect(a.leases.heldNames()).toEqual([])
      await b.leases.heartbeat()
      expect(b.leases.heldNames().sort()).toEqual([...BOTS].sort())
    } finally {
      await Promise.all([a.leases.stop(), b.leases.stop()])
    }
  })

  it('stop polling on an instance cut from the database before another takes its bots', async () => {
    const { events, a, b } = twoInstances()
    try {
      await a.leases.start()
      await b.leases.start()
      expect(b.leases.heldNames()).toEqual([])
      a.link.cut = true
      await pollUntil(() => Promise.resolve(b.leases.heldNames().length === BOTS.length), { timeoutMs: 10_000, message: 'b holds every bot' })
      expect(a.leases.heldNames()).toEqual([])
      // Every loss of a comes before the first gain of b.
      const firstGain = events.findIndex((event) => event.startsWith('b gained'))
      const lastLoss = events.findLastIndex((event) => event.startsWith('a lost'))
      expect(events.filter((event) => event.startsWith('a lost'))).toHaveLength(BOTS.length)
      expect(lastLoss).toBeLessThan(firstGain)
    } finally {
      await Promise.all([a.leases.stop(), b.leases.stop()])
    }
  })

  it('let a lease go when its renewal finds another instance holds it', async () => {
    const leases = new InstanceLeases(testDb.db, createLogger('silent'), TIMES)
    const lease = leases.want('poll:7')
    try {
      await leases.start()
      expect(lease.held).toBe(true)
      // As if this instance had been too slow and another took the row over.
      await testDb.db.execute(sql`UPDATE leases SET holder = 'another' WHERE name = 'poll:7'`)
      const lost = lease.changed()
      await leases.heartbeat()
      await lost
      expect(lease.held).toBe(false)
    } finally {
      await leases.stop()
    }
  })

  it("leave a dead instance's lease they took, when they stop, for the next instance to take (never freed, never orphaned)", async () => {
    const { b } = twoInstances()
    await b.leases.start()
    // As if b's heartbeat had just taken a dead instance's own lease and its release were under way.
    await testDb.db.execute(sql`INSERT INTO leases (name, holder, expires_at) VALUES ('instance:ghost', ${b.leases.instanceId}, NOW(3) + INTERVAL 1 HOUR)`)
    await b.leases.stop()
    const [rows] = (await testDb.db.execute(sql`SELECT name, holder FROM leases WHERE name IN ('instance:ghost', ${`instance:${b.leases.instanceId}`})`)) as unknown as [
      Array<{ name: string; holder: string | null }>,
    ]
    // b's own is gone; the dead one's stays b's until it runs out (a free one no heartbeat takes).
    expect(rows).toEqual([{ name: 'instance:ghost', holder: b.leases.instanceId }])
    await testDb.db.execute(sql`DELETE FROM leases WHERE name = 'instance:ghost'`)
  })

  it("release at once the outbox claims of an instance cut from the database, not after the claims' own lease", async () => {
    const { a, b } = twoInstances()
    // Each instance's outbox workers claim on a pool of their own, named after it (as app.ts has it).
    const workers = [a, b].map((instance) => createDatabase(testDb.url, { poolSize: 1, readCommitted: true, instanceId: instance.leases.instanceId }))
    try {
      await a.leases.start()
      await b.leases.start()
      const queue = (chatId: number) =>
        enqueue(testDb.db, { projectId: 1, class: 'live', destination: `chat:${chatId}`, botId: 1, job: { type: 'text', chatId, text: 'hi' } as never })
      const [ofA, ofB] = [await queue(1), await queue(2)]
      const [claimedByA] = await claimJobs(workers[0]!.db, 'live', 1, 60)
      const [claimedByB] = await claimJobs(workers[1]!.db, 'live', 1, 60)
      expect([claimedByA?.id, claimedByB?.id]).toEqual([ofA, ofB])
      const row = async (id: number) => (await testDb.db.select().from(outbox).where(eq(outbox.id, id)))[0]!
      expect((await row(ofA)).claimedBy).toBe(a.leases.instanceId)

      const cutAt = Date.now()
      a.link.cut = true
      // Due again once b sees a's lease run out (TTL + a heartbeat), 60 s before the claim's own lease would.
      // ~0.4 s here (TTL + a heartbeat); the bound only has to stay well under the claim's own 60 s on a loaded machine.
      await pollUntil(async () => (await row(ofA)).state === 'pending', { timeoutMs: 20_000, message: "a's claim released" })
      expect(Date.now() - cutAt).toBeLessThan(20_000)
      // As an expired claim: the attempt counted, the row taken by the next claim; b's own claim untouched.
      const [again] = await claimJobs(workers[1]!.db, 'live', 1, 60)
      expect(again).toMatchObject({ id: ofA, attempts: 2 })
      expect(await row(ofB)).toMatchObject({ state: 'sending', claimedBy: b.leases.instanceId })
      // a's own lease is gone once its claims are released; a stop deletes b's.
      const instanceRows = async () => (await testDb.db.select().from(leaseRows)).filter((lease) => lease.name.startsWith('instance:')).map((lease) => lease.name)
      await pollUntil(async () => (await instanceRows()).length === 1, { message: "a's own lease deleted" })
      await b.leases.stop()
      expect(await instanceRows()).toEqual([])
    } finally {
      await Promise.all([a.leases.stop(), b.leases.stop(), ...workers.map((pool) => pool.close())])
    }
  })

  it("end at once the claims on updates of an instance cut from the database: the customer's next update is not held up for the claim's lease", async () => {
    const { a, b } = twoInstances()
    // Each instance stores and claims webhook updates on its main pool, named after it (as app.ts has it).
    const pools = [a, b].map((instance) => createDatabase(testDb.url, { poolSize: 1, instanceId: instance.leases.instanceId }))
    try {
      await a.leases.start()
      await b.leases.start()
      const update = (updateId: number) => ({ update_id: updateId, message: { message_id: updateId, date: 0, chat: { id: 77, type: 'private' as const, first_name: 'Zoe' }, from: { id: 77, is_bot: false, first_name: 'Zoe' } } })
      const orderKeyOf = () => 'chat:77'
      // a stored and claimed the customer's first update (its handling in hand), then b the second.
      await storeUpdates(pools[0]!.db, 1, 9, [update(1)], { orderKeyOf, claimToken: 'a-claim' })
      await storeUpdates(pools[1]!.db, 1, 9, [update(2)], { orderKeyOf, claimToken: 'b-claim' })
      const row = async (updateId: number) => (await testDb.db.select().from(updates).where(eq(updates.updateId, updateId)))[0]!
      expect((await row(1)).claimedBy).toBe(a.leases.instanceId)
      expect(await earlierUpdateInTheWay(testDb.db, 9, 'chat:77', 2)).toMatchObject({ updateId: 1, inHand: true })

      a.link.cut = true
      // The claim's lease (30 s) only runs out; ending it (claimed_until NULL) is the release's doing, once b sees a's lease gone (~0.4 s).
      await pollUntil(async () => (await row(1)).claimedUntil === null, { timeoutMs: 20_000, message: "a's claim on update 1 ended" })
      expect(await earlierUpdateInTheWay(testDb.db, 9, 'chat:77', 2)).toMatchObject({ updateId: 1, inHand: false })
      // b's own claim untouched.
      expect(await row(2)).toMatchObject({ claimToken: 'b-claim', claimedBy: b.leases.instanceId })
    } finally {
      await Promise.all([a.leases.stop(), b.leases.stop(), ...pools.map((pool) => pool.close())])
      await testDb.db.delete(updates).where(eq(updates.botId, 9))
    }
  })
})
