import { and, eq } from 'drizzle-orm'
import mysql from 'mysql2/promise'
import { afterAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { customerNotes, customers, messages, updates } from '../../src/db/schema/index.js'
import { createLogger } from '../../src/logger.js'
import { secretForBot, webhookPath } from '../../src/server/webhook-server.js'
import { freePort } from '../support/free-port.js'
import { onboard, waitForTopicMessage, type OnboardedTopics } from '../support/flows.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js'
import { useHarness } from '../support/suite.js'

// Two service instances on one database, in webhook mode behind one URL: a round-robin proxy
// (the load balancer) sends each bot's consecutive updates to the instances in turn.
const SECRET = 'webhook-secret-for-tests-0123456789'
let proxy: RoundRobinProxy
let second: App
let zoe: OnboardedTopics
const h = useHarness(
  async () => {
    proxy = await startRoundRobinProxy()
    proxy.upstreams = [await freePort(), await freePort()]
    const webhook = { publicUrl: `http://127.0.0.1:${proxy.port}`, host: '127.0.0.1', port: proxy.upstreams[0]!, secret: SECRET }
    return { config: { telegram: { mode: 'webhook', pollTimeoutSeconds: 1, webhook } }, project: { flood: { maxMessages: 1000 } } }
  },
  async (harness) => {
    const telegram = { ...harness.config.telegram, webhook: { ...harness.config.telegram.webhook!, port: proxy.upstreams[1]! } }
    second = await startApp(createConfig({ ...harness.config, telegram }), createLogger('silent'), { migrate: false })
    zoe = await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north')
  },
)
afterAll(async () => {
  await second?.stop()
  await proxy?.close()
})

const storedText = async (text: string) => (await h.database.db.select({ id: messages.id }).from(messages).where(eq(messages.text, text))).length > 0

/** How many updates of the bot an instance looked at (handled, or skipped as already in hand or handled). */
async function updatesSeen(app: App, botId: number): Promise<number> {
  const text = await app.metrics.text()
  let seen = 0
  for (const outcome of ['received', 'duplicate']) {
    const line = text.split('\n').find((l) => l.startsWith(`topicdesk_updates_total{bot="${botId}",outcome="${outcome}"}`))
    seen += line ? Number(line.split(' ').at(-1)) : 0
  }
  return seen
}

describe('two webhook instances behind one URL', () => {
  it("handles a topic's updates in order when consecutive ones land on different instances", async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const alice = world.people.alice.id
    // Alice's typed answers reach Zoe in order; her /help in the topic is answered by the handler itself.
    const copies = () =>
      sim
        .privateMessages(world.people.zoe.id, world.bots.client.id)
        .map((m) => /split \d/.exec(m.text ?? '')?.[0])
        .filter((t) => t !== undefined)
    sim.sendGroup(alice, cs, { text: 'split 1' }, { threadId: zoe.cs })
    await sim.waitFor(() => copies().length === 1, { message: 'split 1 at the client' })
    let answeredFirst: boolean | undefined
    // The answer to a command is sent by its handler, not the outbox: make it slow.
    sim.setLatency({ methods: { sendMessage: 1500 } })
    try {
      const before = proxy.forwarded.length
      const help = sim.sendGroup(alice, cs, { text: '/help' }, { threadId: zoe.cs })
      const answered = () => sim.chatMessages(cs, { threadId: zoe.cs }).some((m) => m.from.is_bot && m.reply_to_message_id === help.message_id)
      for (let i = 2; i <= 4; i++) sim.sendGroup(alice, cs, { text: `split ${i}` }, { threadId: zoe.cs })
      await pollUntil(async () => {
        if (!(await storedText('split 2'))) return false
        answeredFirst = answered()
        return true
      })
      // The command and the next message really went to different instances.
      const landed = proxy.forwarded.slice(before).filter((f) => f.path === webhookPath(world.bots.cs.id))
      expect(new Set(landed.slice(0, 2).map((f) => f.upstream)).size).toBe(2)
    } finally {
      sim.setLatency(false)
    }
    // "split 2" was handled only after the command before it (on the other instance) was.
    expect(answeredFirst).toBe(true)
    await sim.waitFor(() => copies().length >= 4)
    await serviceSettled(h.database.db)
    expect(copies()).toEqual(['split 1', 'split 2', 'split 3', 'split 4'])
    // Each instance claimed the updates it stored in its own name: what the release of a dead instance's claims goes by.
    const claimers = await h.database.db.select({ by: updates.claimedBy }).from(updates).where(eq(updates.botId, world.bots.cs.id))
    expect(new Set(claimers.map((u) => u.by))).toEqual(new Set([h.app.leases.instanceId, second.leases.instanceId]))
  })

  it('handles an update once when Telegram re-posts it to the other instance while the first still handles it', async () => {
    const { sim, world } = h
    const csBot = world.bots.cs.id
    const cs = world.groups.cs.id
    const [customer] = await h.database.db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, world.people.zoe.id))
    // The note's transaction waits for this lock on the customer's profile: a slow handling.
    const lock = await mysql.createConnection({ uri: h.database.url })
    let sent
    try {
      await lock.query('BEGIN')
      await lock.query('SELECT id FROM customers WHERE id = ? FOR UPDATE', [customer!.id])
      const before = proxy.forwarded.length
      sent = sim.sendGroup(world.people.alice.id, cs, { text: '/note prefers email' }, { threadId: zoe.cs })
      const first = await sim.waitFor(() => proxy.forwarded.slice(before).find((f) => f.path === webhookPath(csBot) && f.body.includes('/note prefers email')))
      // Telegram gave up waiting and posts the same update again; the load balancer picks the other instance.
      const other = [h.app, second][1 - first.upstream]!
      const seenBefore = await updatesSeen(other, csBot)
      const answer = await fetch(`http://127.0.0.1:${proxy.upstreams[1 - first.upstream]}${webhookPath(csBot)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secretForBot(SECRET, csBot) },
        body: first.body,
      })
      expect(answer.status).toBe(200)
      await pollUntil(async () => (await updatesSeen(other, csBot)) > seenBefore, { message: 'the other instance took up the re-posted update' })
    } finally {
      await lock.query('COMMIT').catch(() => undefined)
      await lock.end()
    }
    await waitForTopicMessage(h, cs, zoe.cs, (m) => m.reply_to_message_id === sent.message_id)
    await serviceSettled(h.database.db)
    const notes = await h.database.db
      .select()
      .from(customerNotes)
      .where(and(eq(customerNotes.customerId, customer!.id), eq(customerNotes.text, 'prefers email')))
    expect(notes).toHaveLength(1)
    expect(sim.chatMessages(cs, { threadId: zoe.cs }).filter((m) => m.reply_to_message_id === sent.message_id)).toHaveLength(1)
  })

  it('lets a handling in flight finish when an instance stops', async () => {
    const { sim, world } = h
    const csBot = world.bots.cs.id
    const cs = world.groups.cs.id
    const [customer] = await h.database.db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, world.people.zoe.id))
    const lock = await mysql.createConnection({ uri: h.database.url })
    const notes = () =>
      h.database.db
        .select()
        .from(customerNotes)
        .where(and(eq(customerNotes.customerId, customer!.id), eq(customerNotes.text, 'kept at shutdown')))
    let stopped: Promise<void>
    try {
      await lock.query('BEGIN')
      await lock.query('SELECT id FROM customers WHERE id = ? FOR UPDATE', [customer!.id])
      const before = proxy.forwarded.length
      const instances = [h.app, second]
      const seenBefore = await Promise.all(instances.map((app) => updatesSeen(app, csBot)))
      sim.sendGroup(world.people.alice.id, cs, { text: '/note kept at shutdown' }, { threadId: zoe.cs })
      const first = await sim.waitFor(() => proxy.forwarded.slice(before).find((f) => f.path === webhookPath(csBot) && f.body.includes('kept at shutdown')))
      const stopping = instances[first.upstream]!
      await pollUntil(async () => (await updatesSeen(stopping, csBot)) > seenBefore[first.upstream]!, { message: 'the handling started' })
      // The survivor carries on as the harness's app (stopped with the harness).
      h.app = instances[1 - first.upstream]!
      second = undefined as unknown as App
      stopped = stopping.stop()
      // Time for a stop that does not wait to close the database under the handling.
      await new Promise((resolve) => setTimeout(resolve, 500))
    } finally {
      await lock.query('COMMIT').catch(() => undefined)
      await lock.end()
    }
    await stopped!
    expect(await notes()).toHaveLength(1)
  })
})
