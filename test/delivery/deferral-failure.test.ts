import { afterEach, describe, expect, it } from 'vitest'
import type { SQL } from 'drizzle-orm'
import { createDatabase, type Database } from '../../src/db/client.js'
import type { ClaimedJob } from '../../src/delivery/outbox.js'
import type { SendPlanner } from '../../src/delivery/send-planner.js'
import { OutboxWorkers } from '../../src/delivery/worker.js'
import { createLogger } from '../../src/logger.js'
import { startOutboxHarness, type OutboxHarness } from '../support/outbox-harness.js'

let h: OutboxHarness
let stop: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const close of stop.reverse()) await close()
  stop = []
  await h?.stop()
})

/** The database, except that the first statement matching `pattern` fails as a deadlock victim would. */
function failingOnce(db: Database, pattern: RegExp): Database {
  let failed = false
  const dialect = (db as unknown as { dialect: { sqlToQuery: (query: SQL) => { sql: string } } }).dialect
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'execute') return Reflect.get(target, property, receiver) as unknown
      return (query: SQL) => {
        if (!failed && pattern.test(dialect.sqlToQuery(query).sql)) {
          failed = true
          return Promise.reject(Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { code: 'ER_LOCK_DEADLOCK' }))
        }
        return target.execute(query)
      }
    },
  })
}

describe('a row the budget puts back', () => {
  it('is put back even when its deferral meets a deadlock, instead of waiting out its 60 s lease', async () => {
    // The reassign bench: a move's answer deferred for the CS bot's 30/s, its deferral chosen as a
    // deadlock victim (beside the claims and the moves' inserts), was left "sending" until its lease
    // ran out and the lease sweep found it: answered after 75 s instead of 7.
    h = await startOutboxHarness()
    const topic = await h.topic(0, 'Answers')
    const id = await h.text({ kind: 'topic', topicId: topic.topicId }, 'moving to South')
    let plans = 0
    const planner = {
      budget: { prune() {}, penalize() {} },
      confirm() {},
      plan(job: ClaimedJob) {
        plans++
        return Promise.resolve({ botId: job.botId, chatId: topic.chatId, delayMs: plans === 1 ? 50 : 0 })
      },
    } as unknown as SendPlanner
    const handle = createDatabase(h.database.url, { poolSize: 3, readCommitted: true })
    stop.push(() => handle.close())
    const workers = new OutboxWorkers(
      { db: failingOnce(handle.db, /attempts = GREATEST\(attempts, 1\) - 1/), gateway: h.gateway, logger: createLogger('silent'), planner },
      { workersPerClass: 1, maxAttempts: 3, pollIntervalMs: 30, leaseSeconds: 60 },
    )
    workers.start()
    stop.push(() => workers.stop())
    await h.sim.waitFor(() => h.sim.chatMessages(topic.chatId, { threadId: topic.threadId }).some((m) => m.text === 'moving to South'), { timeoutMs: 3_000 })
    expect(plans).toBe(2)
    expect(id).toBeGreaterThan(0)
  })

  it('puts a row whose planning failed back for a second, not for its lease', async () => {
    h = await startOutboxHarness()
    const topic = await h.topic(0, 'Answers')
    await h.text({ kind: 'topic', topicId: topic.topicId }, 'planned again')
    let plans = 0
    const planner = {
      budget: { prune() {}, penalize() {} },
      confirm() {},
      plan(job: ClaimedJob) {
        plans++
        if (plans === 1) return Promise.reject(new Error('the budgets could not be read'))
        return Promise.resolve({ botId: job.botId, chatId: topic.chatId, delayMs: 0 })
      },
    } as unknown as SendPlanner
    const workers = h.startWorkers({ planner, leaseSeconds: 60 })
    stop.push(() => workers.stop())
    await h.sim.waitFor(() => h.sim.chatMessages(topic.chatId, { threadId: topic.threadId }).some((m) => m.text === 'planned again'), { timeoutMs: 3_000 })
    expect(plans).toBe(2)
  })
})
