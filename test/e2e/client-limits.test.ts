import { and, eq, isNotNull, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers, messages, outbox, updates } from '../../src/db/schema/index.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

const cs = () => h.world.groups.cs.id
const texts = (chatId: number, threadId: number) =>
  h.sim
    .chatMessages(chatId, { threadId })
    .filter((m) => m.kind !== 'service')
    .map((m) => m.text ?? '')
const privateTexts = () =>
  h.sim
    .privateMessages(h.world.people.zoe.id, h.world.bots.client.id)
    .filter((m) => m.from.is_bot)
    .map((m) => m.text ?? '')
const zoeCustomerId = async () => (await h.database.db.select().from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id)))[0]!.id
const notRelayed = async (reason: 'flood' | 'banned') =>
  (
    await h.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.customerId, await zoeCustomerId()), eq(messages.notRelayed, reason)))
  ).map((m) => m.text)

/**
 * The flood window ends as if a minute had passed: Zoe's stored messages, her window's end and
 * the notices due at it move a minute back (the window is counted from the database's clock).
 */
async function windowPassed() {
  const customerId = await zoeCustomerId()
  const { db } = h.database
  await db.execute(sql`UPDATE messages SET created_at = created_at - INTERVAL 60 SECOND WHERE customer_id = ${customerId}`)
  await db.execute(sql`UPDATE customers SET flood_window_until = flood_window_until - INTERVAL 60 SECOND WHERE id = ${customerId}`)
  await db.execute(sql`UPDATE outbox SET next_attempt_at = CURRENT_TIMESTAMP(3) WHERE state = 'pending' AND job LIKE '%"flood_notice"%'`)
}

describe('a flooding client', () => {
  it('has the excess stored, counted in one notice per window in each topic, and is asked once to slow down', async () => {
    const { sim, world } = h
    const project = h.app.projects[0]!
    // A window of a minute holds all 8 messages however slowly a loaded machine handles them;
    // the test then moves the stored times a window back instead of waiting for it to pass.
    project.config.flood.maxMessages = 3
    project.config.flood.windowSeconds = 60
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'flood 1' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'flood 1')
    for (let i = 2; i <= 8; i++) sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: `flood ${i}` })
    await pollUntil(async () => (await notRelayed('flood')).length === 5, { message: 'five messages held back' })
    expect(await notRelayed('flood')).toEqual(['flood 4', 'flood 5', 'flood 6', 'flood 7', 'flood 8'])
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Please slow down')
    await windowPassed()
    const notice = '⚠️ 5 more message(s) from this client in the last minute were not relayed (limit: 3 per minute).'
    for (const [chat, thread] of [
      [cs(), zoe.cs],
      [zoe.crChat, zoe.cr],
    ] as const) {
      await sim.waitFor(() => texts(chat, thread).some((t) => t.startsWith(notice)), { message: 'flood notice' })
      expect(texts(chat, thread).filter((t) => t.startsWith('flood '))).toEqual(['flood 1', 'flood 2', 'flood 3'])
      expect(texts(chat, thread).filter((t) => t.startsWith('⚠️'))).toHaveLength(1)
    }
    // Once the window has passed, messages are relayed again.
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'calmer now' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'calmer now')
    expect(privateTexts().filter((t) => t.includes('Please slow down'))).toHaveLength(1)
    project.config.flood.maxMessages = 20
    project.config.flood.windowSeconds = 60
  })
})

describe('/ban and /unban', () => {
  it('are for CS leads; a banned client is stored, not relayed, told once; both appear in /history', async () => {
    const { sim, world } = h
    sim.sendGroup(world.people.bob.id, cs(), { text: '/ban' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs(), zoe.cs, 'Only CS leads can ban a client.')
    sim.sendGroup(world.people.alice.id, cs(), { text: '/ban' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs(), zoe.cs, '🚫 Zoe Quinn is banned')
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'banned 1' })
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'banned 2' })
    await pollUntil(async () => (await notRelayed('banned')).length === 2, { message: 'two messages stored while banned' })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'no longer passed on to our team')
    sim.sendGroup(world.people.alice.id, cs(), { text: '/unban' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs(), zoe.cs, '✅ Zoe Quinn is no longer banned')
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'welcome back' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'welcome back')
    for (const [chat, thread] of [
      [cs(), zoe.cs],
      [zoe.crChat, zoe.cr],
    ] as const) {
      await waitForTopicMessage(h, chat, thread, 'welcome back')
      expect(texts(chat, thread).filter((t) => t.startsWith('banned '))).toEqual([])
    }
    // A staff answer reaches the client after anything queued for them before: the ban reply came once.
    sim.sendGroup(world.people.alice.id, cs(), { text: 'Glad to have you back' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Glad to have you back')
    expect(privateTexts().filter((t) => t.includes('no longer passed on'))).toHaveLength(1)
    sim.sendGroup(world.people.alice.id, cs(), { text: '/history' }, { threadId: zoe.cs })
    const history = await waitForTopicMessage(h, cs(), zoe.cs, 'Assignment history')
    expect(history.text).toMatch(/· banned · by Alice \(command\)\n.*· unbanned · by Alice \(command\)/)
    expect(
      await h.database.db
        .select()
        .from(messages)
        .where(and(eq(messages.customerId, await zoeCustomerId()), isNotNull(messages.notRelayed))),
    ).toHaveLength(7)
  })
})

describe('a client text that starts with "/"', () => {
  it('is a message unless it is one of the client bot’s own commands: stored and relayed, not answered', async () => {
    const { sim, world } = h
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: '/cancel my order please' })
    await waitForTopicMessage(h, cs(), zoe.cs, '/cancel my order please')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, '/cancel my order please')
    const stored = await h.database.db
      .select()
      .from(messages)
      .where(eq(messages.customerId, await zoeCustomerId()))
    expect(stored.some((m) => m.text === '/cancel my order please')).toBe(true)
    expect(privateTexts().filter((t) => t.includes('no need for commands'))).toEqual([])
  })
})

describe('a client flooding with reactions and edits', () => {
  it('has them count against the flood limit: beyond it, reactions are not synced and edits only stored', async () => {
    const { sim, world } = h
    const project = h.app.projects[0]!
    const zoeId = world.people.zoe.id
    const handled = async (kind: string) =>
      (
        await h.database.db
          .select({ payload: updates.payload })
          .from(updates)
          .where(and(eq(updates.botId, world.bots.client.id), eq(updates.state, 'handled')))
      ).filter((u) => u.payload.includes(`"${kind}"`)).length
    const reactJobs = async () => (await h.database.db.select({ job: outbox.job }).from(outbox)).filter((r) => r.job.includes('"type":"react"')).length
    const original = sim.sendPrivate(zoeId, world.bots.client.id, { text: 'edit me' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'edit me')
    sim.sendGroup(world.people.bob.id, cs(), { text: 'React to this' }, { threadId: zoe.cs })
    const atClient = await waitForPrivate(h, zoeId, world.bots.client.id, 'React to this')
    await outboxSettled(h.app.db)
    project.config.flood.maxMessages = 3
    const [reactionsBefore, editsBefore, jobsBefore] = [await handled('message_reaction'), await handled('edited_message'), await reactJobs()]
    for (const emoji of ['👍', '🔥', '👍', '🔥', '👍']) sim.react(zoeId, zoeId, atClient.message_id, [emoji])
    await pollUntil(async () => (await handled('message_reaction')) === reactionsBefore + 5, { message: 'five reactions handled' })
    expect((await reactJobs()) - jobsBefore).toBe(3)
    sim.editMessage(zoeId, zoeId, original.message_id, { text: 'edit me again' })
    await pollUntil(async () => (await handled('edited_message')) === editsBefore + 1, { message: 'the edit handled' })
    await outboxSettled(h.app.db)
    const stored = await h.database.db
      .select()
      .from(messages)
      .where(eq(messages.customerId, await zoeCustomerId()))
    expect(stored.some((m) => m.text === 'edit me again')).toBe(true)
    expect(texts(cs(), zoe.cs)).not.toContain('edit me again')
    project.config.flood.maxMessages = 20
  })
})
