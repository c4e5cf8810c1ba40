import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { outbox } from '../../src/db/schema/index.js'
import type { ClaimedJob } from '../../src/delivery/outbox.js'
import type { SendPlanner } from '../../src/delivery/send-planner.js'
import { UNCERTAIN_SEND_GRACE_MS } from '../../src/delivery/held-claims.js'
import { startOutboxHarness, type OutboxHarness } from '../support/outbox-harness.js'
import { pollUntil } from '../support/poll.js'

let h: OutboxHarness
afterEach(async () => h?.stop())

const row = async (id: number) => (await h.database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!

describe('stopping the workers', () => {
  it('puts claimed rows not yet sent back in line at once, and makes a send still in flight due again after a short grace, not the lease', async () => {
    h = await startOutboxHarness()
    const inFlight = await h.topic(0, 'In flight')
    const unsent = await h.topic(1, 'Not yet sent')
    const slowId = await h.text({ kind: 'topic', topicId: inFlight.topicId }, 'slow answer')
    const heldId = await h.text({ kind: 'topic', topicId: unsent.topicId }, 'held before its send')
    h.sim.setLatency({ methods: { sendMessage: 20_000 } })
    // A planner that lets the first row go and holds the second before its send begins.
    let openGate = () => {}
    const gate = new Promise<void>((resolve) => (openGate = resolve))
    const planner = {
      budget: { prune() {}, penalize() {} },
      confirm() {},
      async plan(job: ClaimedJob) {
        if (job.id === heldId) await gate
        return { botId: job.botId, chatId: 0, delayMs: 0 }
      },
    } as unknown as SendPlanner
    const workers = h.startWorkers({ planner, leaseSeconds: 60 })
    await pollUntil(async () => (await row(slowId)).state === 'sending' && (await row(heldId)).state === 'sending', { message: 'both rows claimed' })
    await h.sim.waitFor(() => h.sim.stats().calls.sendMessage === 1, { message: 'the slow send in flight' })

    const stoppedAt = Date.now()
    expect(await workers.stop(300)).toBe(false)
    const held = await row(heldId)
    expect(held).toMatchObject({ state: 'pending', attempts: 0 })
    expect(held.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 100)
    const slow = await row(slowId)
    expect(slow).toMatchObject({ state: 'pending', attempts: 1 })
    expect(slow.lastError).toMatch(/outcome unknown/)
    // Due again after the grace, far sooner than the 60 s lease.
    expect(slow.nextAttemptAt.getTime()).toBeGreaterThan(stoppedAt + UNCERTAIN_SEND_GRACE_MS - 1000)
    expect(slow.nextAttemptAt.getTime()).toBeLessThan(Date.now() + UNCERTAIN_SEND_GRACE_MS + 1000)
    // The held row's worker goes on after the stop: it sends nothing and changes nothing.
    openGate()
    await new Promise((resolve) => setImmediate(resolve))
    expect(await row(heldId)).toMatchObject({ state: 'pending', attempts: 0 })

    // Another worker set (the restarted service) sends both: the unsent row at once, the uncertain one after the grace.
    h.sim.setLatency(false)
    h.startWorkers()
    const textsIn = (chatId: number, threadId: number) => h.sim.chatMessages(chatId, { threadId }).map((m) => m.text)
    await h.sim.waitFor(() => textsIn(unsent.chatId, unsent.threadId).includes('held before its send'), { timeoutMs: 2_000 })
    await h.sim.waitFor(() => textsIn(inFlight.chatId, inFlight.threadId).includes('slow answer'), { timeoutMs: UNCERTAIN_SEND_GRACE_MS + 3_000 })
    expect(h.sim.stats().calls.sendMessage).toBe(3)
  })
})
