import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InstanceLeases } from '../../src/bots/ingress/instance-leases.js'
import { createLogger } from '../../src/logger.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { pollUntil } from '../support/poll.js'

/** Short leases, spread over the instances (`leases.spreadBots`). */
const SETTINGS = { heartbeatMs: 100, ttlMs: 300, spreadPrefix: 'poll:' }

let testDb: TestDatabase
beforeAll(async () => {
  testDb = await createTestDatabase({ poolSize: 4 })
})
afterAll(() => testDb?.close())

/**
 * An instance wanting `bots` polling leases, each used as a poller does: on a loss it stops
 * (here at once) and then hands the lease over. `events` records, in order, each lease gained or lost.
 */
function instance(label: string, bots: string[], events: string[], options: { stops?: 'at once' | 'when told' } = {}) {
  const leases = new InstanceLeases(testDb.db, createLogger('silent'), SETTINGS)
  const stopping: Array<() => void> = []
  const byName = new Map<string, ReturnType<InstanceLeases['want']>>()
  const released = new Set<string>()
  for (const name of bots) {
    const lease = leases.want(name)
    byName.set(name, lease)
    void (async () => {
      // A lease no longer wanted has no more changes to wait for (`changed` resolves at once).
      for (let held = false; !released.has(name); ) {
        await lease.changed()
        if (lease.held === held) continue
        held = lease.held
        events.push(`${label} ${held ? 'gained' : 'lost'} ${name}`)
        if (!held) {
          if (options.stops === 'when told') stopping.push(() => lease.handOver())
          else lease.handOver()
        }
      }
    })()
  }
  /** Its users that were still stopping have stopped: they hand their leases over. */
  const stopped = () => stopping.splice(0).forEach((handOver) => handOver())
  /** Its user no longer wants the lease (a failing poller lets it go while it backs off). */
  const release = (name: string) => {
    released.add(name)
    return byName.get(name)!.release()
  }
  return { label, leases, stopped, release }
}

const names = (count: number, from: number) => Array.from({ length: count }, (_, i) => `poll:${from + i}`)

/** Every lease gained by one instance was lost by its holder before (never held by two at once). */
function neverHeldTwice(events: string[]): void {
  const holder = new Map<string, string>()
  for (const event of events) {
    const [label, change, name] = event.split(' ') as [string, string, string]
    if (change === 'gained') {
      expect(holder.get(name), `${name} gained by ${label} while ${holder.get(name)} held it`).toBeUndefined()
      holder.set(name, label)
    } else if (holder.get(name) === label) holder.delete(name)
  }
}

type Instance = ReturnType<typeof instance>
const polled = (i: Instance) => i.leases.heldNames().filter((n) => n.startsWith('poll:')).length

/** Two instances wanting `bots`, started one after the other; both stopped after `run`, and no bot was ever held by both. */
async function withTwo(bots: string[], run: (a: Instance, b: Instance) => Promise<void>, aStops?: 'when told'): Promise<void> {
  const events: string[] = []
  const a = instance('a', bots, events, { stops: aStops })
  const b = instance('b', bots, events)
  try {
    await a.leases.start()
    await b.leases.start()
    await run(a, b)
    neverHeldTwice(events)
  } finally {
    await Promise.all([a.leases.stop(), b.leases.stop()])
  }
}

describe('spread leases', () => {
  it("give an instance that joins its share of the bots, handed over by the one that held them all, never to two at once; the survivor takes them all back", async () => {
    const bots = names(40, 5000)
    const events: string[] = []
    const a = instance('a', bots, events)
    const b = instance('b', bots, events)
    try {
      await a.leases.start()
      expect(a.leases.heldNames().filter((n) => n.startsWith('poll:'))).toHaveLength(40)
      await b.leases.start()
      await pollUntil(() => Promise.resolve(polled(a) === 20 && polled(b) === 20), { timeoutMs: 20_000, message: 'the bots 20 and 20' })
      neverHeldTwice(events)
      // The database agrees: each bot one holder.
      const [rows] = (await testDb.db.execute(sql`SELECT holder, COUNT(*) AS n FROM leases WHERE name LIKE 'poll:5%' GROUP BY holder`)) as unknown as [Array<{ holder: string; n: number }>]
      expect(Object.fromEntries(rows.map((r) => [r.holder, Number(r.n)]))).toEqual({ [a.leases.instanceId]: 20, [b.leases.instanceId]: 20 })

      await b.leases.stop()
      await pollUntil(() => Promise.resolve(polled(a) === 40), { timeoutMs: 20_000, message: 'a polls every bot again' })
      neverHeldTwice(events)
    } finally {
      await Promise.all([a.leases.stop(), b.leases.stop()])
    }
  })

  it('round the share up, so every bot has a taker (3 bots over 2 instances: 2 and 1); the other leases are not spread', async () => {
    await withTwo([...names(3, 6000), 'cron-spread-test'], async (a, b) => {
      await pollUntil(() => Promise.resolve(polled(a) + polled(b) === 3 && Math.abs(polled(a) - polled(b)) === 1), { timeoutMs: 20_000, message: 'the bots 2 and 1' })
      // The lease outside the family stays with the first to take it.
      expect(a.leases.heldNames()).toContain('cron-spread-test')
    })
  })

  it('keep a lease handed over until its user has stopped (a poller settling its handlings): only then does the other instance take it', async () => {
    await withTwo(
      names(10, 7000),
      async (a, b) => {
        await pollUntil(() => Promise.resolve(polled(a) === 5), { timeoutMs: 20_000, message: 'a hands 5 over' })
        // Many heartbeats later (100 ms each), b has none of them: their users have not stopped yet.
        for (let beat = 0; beat < 5; beat++) await b.leases.heartbeat()
        await new Promise((resolve) => setTimeout(resolve, 500))
        expect(polled(b)).toBe(0)
        a.stopped()
        await pollUntil(() => Promise.resolve(polled(b) === 5), { timeoutMs: 20_000, message: 'b takes the 5 once they stopped' })
      },
      'when told',
    )
  })

  it('let an instance at its share take a bot left free for two heartbeats (its poller failing elsewhere), never while another holds it', async () => {
    await withTwo(names(10, 8000), async (a, b) => {
      await pollUntil(() => Promise.resolve(polled(a) === 5 && polled(b) === 5), { timeoutMs: 20_000, message: 'the bots 5 and 5' })
      // b's poller of one bot fails: it lets the lease go while it backs off (polling.ts).
      const failing = b.leases.heldNames().find((n) => n.startsWith('poll:'))!
      await b.release(failing)
      await pollUntil(() => Promise.resolve(a.leases.holds(failing)), { timeoutMs: 20_000, message: 'a takes the bot b let go, beyond its share' })
      expect(polled(a)).toBe(6)
    })
  })
})
