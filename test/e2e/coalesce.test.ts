import { and, eq, inArray, like } from 'drizzle-orm'
import type { Message } from 'grammy/types'
import { describe, expect, it } from 'vitest'
import { startApp } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { encodeDestination } from '../../src/delivery/destination.js'
import type { DeliveryObserver } from '../../src/delivery/observer.js'
import { messages, outbox, relayLinks, topics } from '../../src/db/schema/index.js'
import { createLogger } from '../../src/logger.js'
import { onboard, waitForPrivate, waitForTopicMessage, type OnboardedTopics } from '../support/flows.js'
import { outboxIdle, pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * A group's backlog (issue 12): with 40 sends a minute per bot per group (Telegram's limits on in
 * the simulator) and one bot per role, the default `delivery.coalesceAfterMinutes` of 2 is passed
 * at 80 waiting copies. The lane workers are paused while a burst is written, so the backlog is
 * there when they claim; below it every copy goes out alone, above it a topic's waiting texts go out
 * as one message, each original mapped, and the leads get one alarm per group.
 */
const limits = { groupPerMinute: 40, privatePerSecond: 20, privateBurst: 20, globalPerSecond: 30 }
let yuri: OnboardedTopics
const { h, zoe } = useOnboardedZoe(
  {
    project: { flood: { maxMessages: 1000 } },
    config: { delivery: { workersPerClass: 2, pollIntervalMs: 50, albumWindowMs: 300, maxAttempts: 5, budgets: limits } },
  },
  async (harness) => {
    yuri = await onboard(harness, harness.world.people.yuri, 'yuri@example.com', 'north')
    harness.sim.setRateLimits(limits)
    await outboxIdle(harness.database.db)
  },
)

/** Each client writes `n` texts while the lane workers of a fresh process are paused; returns the originals by client. */
async function pausedBurst(prefix: string, n: number, o: { padding?: string; beforeStart?: () => Promise<void> } = {}): Promise<Map<number, Message[]>> {
  const { sim, world } = h
  // A fresh process: no backlog figure from the test before (it is reused for up to a second).
  await h.app.stop()
  h.app = await startApp(createConfig(h.config), createLogger('silent'), { migrate: false })
  await h.app.workers.stop()
  const clients = [world.people.zoe.id, world.people.yuri.id]
  const written = new Map<number, Message[]>(clients.map((id) => [id, []]))
  for (let i = 0; i < n; i++) for (const id of clients) written.get(id)!.push(sim.sendPrivate(id, world.bots.client.id, { text: `${prefix} ${id % 1000} #${i}${o.padding ?? ''}` }))
  // A stored message has its copies queued in the same transaction.
  await pollUntil(async () => new Set((await storedLinks(prefix)).map((link) => link.messageRowId)).size === clients.length * n, { message: 'every message stored' })
  await o.beforeStart?.()
  // Every deferral by a budget, with how long the row was put back for.
  const deferrals: Array<{ destination: string; delayMs: number }> = []
  const metrics: Pick<DeliveryObserver, 'deferred'> = h.app.metrics
  const observe = metrics.deferred.bind(metrics)
  metrics.deferred = (job, delayMs) => {
    deferrals.push({ destination: job.destination, delayMs })
    observe(job, delayMs)
  }
  h.app.workers.start()
  // Yuri's Treatment topic is alone in its group: below the threshold there, part of it waits a minute.
  const watched = new Set([world.groups.cs.id, world.groups.north.id])
  await pollUntil(async () => (await storedLinks(prefix)).every((link) => link.copyMessageId !== null || !watched.has(link.chatId)), {
    // A hang guard: how long delivery takes depends on the machine's load, not on the budgets.
    timeoutMs: 120_000,
    message: 'every copy delivered',
    explain: async () => {
      const waiting = (await storedLinks(prefix)).filter((link) => link.copyMessageId === null && watched.has(link.chatId))
      const [rows] = await h.database.db.execute(
        `SELECT id, destination, state, job, result, last_error, next_attempt_at, CURRENT_TIMESTAMP(3) AS now FROM outbox WHERE state <> 'sent' ORDER BY id LIMIT 10`,
      )
      return { waiting: waiting.length, first: waiting.slice(0, 3), rows }
    },
  })
  await outboxIdle(h.database.db)
  // A copy that waits for a budget window it should not need fails here: in CS and CR North only
  // the per-second budget may put a copy back (for under a second), never a per-minute window.
  const watchedTopics = await h.database.db
    .select({ id: topics.id })
    .from(topics)
    .where(inArray(topics.chatId, [...watched]))
  const watchedDestinations = new Set(watchedTopics.map((t) => encodeDestination({ kind: 'topic', topicId: t.id })))
  expect(deferrals.filter((d) => watchedDestinations.has(d.destination) && d.delayMs >= 5_000)).toEqual([])
  return written
}

/** The relay links of the messages whose text starts with `prefix`. */
const storedLinks = (prefix: string) =>
  h.database.db
    .select({ id: relayLinks.id, chatId: relayLinks.chatId, copyMessageId: relayLinks.copyMessageId, messageRowId: messages.id, text: messages.text })
    .from(relayLinks)
    .innerJoin(messages, eq(messages.id, relayLinks.messageId))
    .where(and(like(messages.text, `${prefix} %`), eq(relayLinks.kind, 'relay')))

const topicTexts = (chatId: number, threadId: number, prefix: string) =>
  h.sim
    .chatMessages(chatId, { threadId })
    .filter((m) => m.text?.startsWith(prefix))
    .map((m) => m.text!)

const backlogAlarms = () => {
  const onboarding = h.sim.topics(h.world.groups.cs.id).find((t) => t.name === 'Onboarding')!
  return h.sim.chatMessages(h.world.groups.cs.id, { threadId: onboarding.message_thread_id }).filter((m) => m.text?.startsWith('⏳ Backlog alarm'))
}

describe('coalescing a long group backlog', () => {
  it('below the threshold every copy goes out on its own', async () => {
    const written = await pausedBurst('Short', 4)
    const zoeId = h.world.people.zoe.id
    expect(topicTexts(h.world.groups.cs.id, zoe.cs, 'Short')).toEqual(written.get(zoeId)!.map((m) => m.text))
    expect(topicTexts(h.world.groups.north.id, yuri.cr, 'Short')).toEqual(written.get(h.world.people.yuri.id)!.map((m) => m.text))
    expect(backlogAlarms()).toHaveLength(0)
  })

  it('above it, a topic gets fewer messages than originals, each original mapped, and one alarm per group', async () => {
    const { sim, world } = h
    const rateLimited = sim.stats().rateLimited
    // 45 texts of about 300 characters per client: more than one message of 4096 can hold.
    const written = await pausedBurst('Long', 45, { padding: ` ${'lorem ipsum '.repeat(25)}` })
    const cs = world.groups.cs.id
    const zoeOriginals = written.get(world.people.zoe.id)!.map((m) => m.text!)
    const combined = topicTexts(cs, zoe.cs, 'Long')
    expect(combined.length).toBeLessThan(zoeOriginals.length)
    expect(combined.length).toBeGreaterThan(1)
    expect(combined.every((text) => text.length <= 4096)).toBe(true)
    // In order, nothing cut, nothing twice: the combined copies hold exactly the originals.
    expect(combined.join('\n\n').split('\n\n')).toEqual(zoeOriginals)
    expect(topicTexts(world.groups.north.id, yuri.cr, 'Long').join('\n\n').split('\n\n')).toEqual(written.get(world.people.yuri.id)!.map((m) => m.text))
    // Every original's link records the message that shows it, in its client's topic.
    const shown = new Map(sim.chatMessages(cs).map((m) => [m.message_id, m.text ?? '']))
    const csLinks = (await storedLinks('Long')).filter((link) => link.chatId === cs)
    expect(csLinks).toHaveLength(90)
    expect(csLinks.filter((link) => shown.get(link.copyMessageId!)?.split('\n\n').includes(link.text!))).toHaveLength(90)
    expect(sim.stats().rateLimited - rateLimited).toBe(0)
    // The backlog is per group: Yuri's 45 copies alone in Treatment (68 s of its budget) go out one by one.
    const treatment = sim.chatMessages(world.groups.treatment.id).filter((m) => m.text?.startsWith('Long'))
    expect(treatment.length).toBeGreaterThan(0)
    expect(treatment.every((m) => !m.text!.includes('\n\n'))).toBe(true)
    await sim.waitFor(() => backlogAlarms().length === 2, { message: 'a backlog alarm for CS and for CR North' })
    await outboxIdle(h.database.db)
    const alarms = backlogAlarms().map((m) => m.text!)
    expect(alarms).toHaveLength(2)
    const groups = h.config.projects[0]!.groups
    expect(alarms.find((t) => t.includes(`"${groups.cs.title}"`))).toContain('projects[].bots.cs')
    expect(alarms.find((t) => t.includes(`"${groups.cr[0]!.title}"`))).toContain('projects[].bots.cr')
  })

  it('a staff reply to a combined copy answers the newest original in it, at the client', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const copy = sim.chatMessages(cs, { threadId: zoe.cs }).find((m) => m.text?.startsWith('Long') && m.text.includes('\n\n'))!
    const last = copy.text!.split('\n\n').at(-1)!
    const original = sim.privateMessages(world.people.zoe.id, world.bots.client.id).find((m) => m.text === last)!
    sim.sendGroup(world.people.bob.id, cs, { text: 'Answer to the combined copy' }, { threadId: zoe.cs, replyTo: copy.message_id })
    const atClient = await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Answer to the combined copy')
    expect(atClient.reply_to_message_id).toBe(original.message_id)
  })

  it("an edit of one coalesced original re-renders the combined copy, keeping the others' text", async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const zoeId = world.people.zoe.id
    const copy = sim.chatMessages(cs, { threadId: zoe.cs }).find((m) => m.text?.startsWith('Long') && m.text.includes('\n\n'))!
    const parts = copy.text!.split('\n\n')
    const original = sim.privateMessages(zoeId, world.bots.client.id).find((m) => m.text === parts[1])!
    sim.editMessage(zoeId, zoeId, original.message_id, { text: `${parts[1]} (corrected)` })
    const edited = await waitForTopicMessage(h, cs, zoe.cs, (m) => m.message_id === copy.message_id && m.text?.includes('(corrected)') === true)
    expect(edited.text!.split('\n\n')).toEqual(parts.map((p, i) => (i === 1 ? `${p} (corrected)` : p)))
  })

  it('a combined copy whose process died before its record goes out as the same combination, never one by one', async () => {
    const { world } = h
    const cs = world.groups.cs.id
    const [topic] = await h.database.db
      .select({ id: topics.id })
      .from(topics)
      .where(and(eq(topics.chatId, cs), eq(topics.threadId, zoe.cs)))
    // As a crashed attempt leaves it: the fold fixed in the first row's progress, nothing recorded.
    const foldedByCrash = async () => {
      const rows = await h.database.db
        .select({ id: outbox.id, job: outbox.job })
        .from(outbox)
        .where(and(eq(outbox.destination, `topic:${topic!.id}`), eq(outbox.state, 'pending')))
        .orderBy(outbox.id)
      const folded = rows.map((row) => ({ outboxId: row.id, linkId: (JSON.parse(row.job) as { linkId: number }).linkId }))
      expect(folded).toHaveLength(3)
      await h.database.db
        .update(outbox)
        .set({ result: JSON.stringify({ progress: { sent: 0, folded } }) })
        .where(eq(outbox.id, folded[0]!.outboxId))
    }
    const written = await pausedBurst('Resumed', 3, { beforeStart: foldedByCrash })
    // The backlog is short now, yet the retry keeps the fold its first attempt fixed.
    expect(topicTexts(cs, zoe.cs, 'Resumed')).toEqual([
      written
        .get(world.people.zoe.id)!
        .map((m) => m.text)
        .join('\n\n'),
    ])
    expect(topicTexts(cs, yuri.cs, 'Resumed')).toEqual(written.get(world.people.yuri.id)!.map((m) => m.text))
  })
})
