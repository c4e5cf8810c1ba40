import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InstanceLeases } from '../../src/bots/ingress/instance-leases.js'
import { CRON_LEASE, CronScheduler } from '../../src/cron/scheduler.js'
import { createLogger } from '../../src/logger.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { pollUntil } from '../support/poll.js'

/** Frequent heartbeats, so the other instance takes the lease soon after the leader lets it go. */
const TIMES = { heartbeatMs: 100, ttlMs: 3000 }

describe('CronScheduler', () => {
  let testDb: TestDatabase
  afterAll(async () => testDb?.close())
  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 4 })
  })

  it('runs jobs on the instance holding the cron lease only, and on another once the leader stops', async () => {
    const logger = createLogger('silent')
    const instances = ['a', 'b'].map((label) => {
      const leases = new InstanceLeases(testDb.db, logger, TIMES)
      return { label, leases, scheduler: new CronScheduler(leases.want(CRON_LEASE), logger) }
    })
    const ran: string[] = []
    const job = (label: string) => ({ name: 'count', schedule: '* * * * *', run: () => Promise.resolve(void ran.push(label)) })
    const runEverywhere = () => Promise.all(instances.map(({ label, scheduler }) => scheduler.runOnce(job(label))))
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]]
    await a.leases.start()
    await b.leases.start()
    try {
      expect([a.scheduler.leading, b.scheduler.leading]).toEqual([true, false])
      await runEverywhere()
      await runEverywhere()
      expect(ran).toEqual(['a', 'a'])

      // The leader stops: the other leads from its next heartbeat on.
      await a.leases.stop()
      expect(a.scheduler.leading).toBe(false)
      await pollUntil(() => Promise.resolve(b.scheduler.leading), { timeoutMs: 10_000, message: 'b leads cron' })
      await runEverywhere()
      expect(ran).toEqual(['a', 'a', 'b'])
    } finally {
      await Promise.all(instances.map(({ leases, scheduler }) => Promise.all([leases.stop(), scheduler.stop()])))
    }
  })

  it('skips a run of a job that still runs here', async () => {
    const scheduler = new CronScheduler({ held: true }, createLogger('silent'))
    let runs = 0
    let finish = () => {}
    const job = { name: 'slow', schedule: '* * * * *', run: () => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))) }
    const first = scheduler.runOnce(job)
    await scheduler.runOnce(job)
    finish()
    await first
    expect(runs).toBe(1)
  })
})
