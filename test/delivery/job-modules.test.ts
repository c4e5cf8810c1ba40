import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/db/client.js'
import { outbox } from '../../src/db/schema/index.js'
import { encodeDestination } from '../../src/delivery/destination.js'
import { outboxJobs, type JobModule, type JobRegistry } from '../../src/delivery/jobs/index.js'
import type { OutboxJob } from '../../src/delivery/jobs.js'
import { enqueue } from '../../src/delivery/outbox.js'
import { RateBudget } from '../../src/delivery/rate-budget.js'
import { SendPlanner } from '../../src/delivery/send-planner.js'
import { OutboxWorkers } from '../../src/delivery/worker.js'
import { createLogger } from '../../src/logger.js'
import { startOutboxHarness, type OutboxHarness } from '../support/outbox-harness.js'
import { pollUntil } from '../support/poll.js'

/**
 * The seam of issue 17: a job type is one module, registered once. A test-only type, known to no
 * file under src/, is claimed, weighed by the planner, sent through the simulator and recorded
 * once its module is registered; the same row without the registration is a dead letter.
 */
type Ping = { type: 'test_ping'; chatId: number; text: string }

let h: OutboxHarness
let running: OutboxHarness | undefined
const stops: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
  await running?.stop()
  running = undefined
})

const row = async (id: number) => (await h.database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!

/** Outbox workers (with a planner) sending the job types of `jobs`, on their own pool as the service's are. */
function startWorkers(jobs: JobRegistry) {
  const handle = createDatabase(h.database.url, { poolSize: 3, readCommitted: true })
  const poolIds = h.bots.map((b) => b.id)
  const planner = new SendPlanner(handle.db, new RateBudget({ groupPerMinute: 20, privatePerSecond: 20, privateBurst: 20, globalPerSecond: 30 }), () => poolIds, jobs)
  const workers = new OutboxWorkers(
    { db: handle.db, gateway: h.gateway, logger: createLogger('silent'), planner, jobs },
    { workersPerClass: 1, maxAttempts: 3, pollIntervalMs: 30 },
  )
  workers.start()
  stops.push(async () => {
    await workers.stop()
    await handle.close()
  })
  return workers
}

async function queuePing(chatId: number, text: string, workers: OutboxWorkers): Promise<number> {
  const job: Ping = { type: 'test_ping', chatId, text }
  const id = await enqueue(h.database.db, {
    projectId: h.projectId,
    class: 'live',
    destination: encodeDestination({ kind: 'chat', chatId }),
    botId: h.bots[0]!.id,
    // Not a variant of the OutboxJob union: only this test knows the type.
    job: job as unknown as OutboxJob,
  })
  workers.notify()
  return id
}

describe('outbox job modules', () => {
  it('claims, weighs, sends and records a job type registered by a test, and dead-letters it unregistered', async () => {
    h = running = await startOutboxHarness()
    const chatId = h.groups[0]!.id
    const weighed: number[] = []
    const ping: JobModule<Ping> = {
      type: 'test_ping',
      messages(_deps, claimed) {
        weighed.push(claimed.id)
        return 1
      },
      async send(deps, claimed) {
        const sent = await deps.gateway.api(claimed.botId).sendMessage(claimed.job.chatId, claimed.job.text)
        return { messageId: sent.message_id, pinged: true }
      },
    }

    // Unregistered: the worker cannot send it, and says so.
    const plain = startWorkers(outboxJobs)
    const unknown = await queuePing(chatId, 'nobody knows me', plain)
    await pollUntil(async () => (await row(unknown)).state === 'dead', { message: 'the unknown job type dead-lettered' })
    expect((await row(unknown)).lastError).toMatch(/Unknown outbox job type "test_ping"/)
    await stops.shift()!()

    // Registered: one module, nothing else.
    const workers = startWorkers(outboxJobs.with(ping))
    const id = await queuePing(chatId, 'ping from a test module', workers)
    await pollUntil(async () => (await row(id)).state === 'sent', { message: 'the test job sent and recorded' })
    const sent = h.sim.chatMessages(chatId).find((m) => m.text === 'ping from a test module')
    expect(sent).toBeDefined()
    expect(JSON.parse((await row(id)).result!)).toEqual({ messageId: sent!.message_id, pinged: true })
    expect(weighed).toContain(id)
    expect(h.sim.chatMessages(chatId).some((m) => m.text === 'nobody knows me')).toBe(false)
  })

  it('registers every job type once, under its own type', () => {
    expect(() => outboxJobs.with({ type: 'relay', send: () => Promise.resolve(null) })).toThrow(/registered twice/)
    expect(outboxJobs.linkPrefetching).toEqual(['relay'])
  })
})
