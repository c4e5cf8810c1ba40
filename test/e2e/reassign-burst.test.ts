import { and, count, eq, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, reassignments, relayLinks } from '../../src/db/schema/index.js'
import type { SimUser } from '../../src/simulator/types.js'
import { buttonData } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

/**
 * Many "/reassign south now" at once (a lead moving a team's customers): every move must start
 * (its transaction committed, its replay queued) at once, not deadlock the others and wait for
 * the cron job. The cron job runs once a year here, so only the immediate start counts.
 */
const MOVES = 100
/** Messages of history per customer: one sent through Telegram, the rest stored copies of it. */
const HISTORY = 200
const ONCE_A_YEAR = '0 0 1 1 *'
const clients: Array<{ user: SimUser; email: string }> = []
const h = useHarness({
  config: { cron: { reassignments: ONCE_A_YEAR, recordsSync: ONCE_A_YEAR } },
  prepare: (sim, world) => {
    for (let i = 0; i < MOVES; i++) {
      const email = `mover${i}@example.com`
      clients.push({ user: sim.createUser({ firstName: `Mover${String(i).padStart(2, '0')}` }), email })
      world.accounts.push({ email, name: `Mover ${i}`, accountId: `ACC-9${i}`, crTeam: 'north', treatment: false })
    }
  },
})

describe('many moves at once', () => {
  it(`starts all ${MOVES} "now" moves without waiting for the cron job, and replays each history`, async () => {
    const { sim, world } = h
    const topics = await onboardAll()
    for (const [i, client] of clients.entries()) sim.sendPrivate(client.user.id, world.bots.client.id, { text: `history of mover ${i}` })
    await sim.waitFor(() => sim.chatMessages(world.groups.north.id).filter((m) => m.text?.startsWith('history of mover')).length === MOVES, PATIENT)
    await seedHistory()

    for (const threadId of topics) sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/reassign south now' }, { threadId })
    const done = async () => {
      const [row] = await h.database.db
        .select({ n: count() })
        .from(reassignments)
        .where(and(eq(reassignments.projectId, h.projectId), eq(reassignments.state, 'done')))
      return row?.n === MOVES
    }
    const sentAt = Date.now()
    // The cron job is off (once a year): a move that did not start at once, or gave up after
    // deadlocking the others, never finishes and the hang guard fails the test. No wall-clock
    // budget: a loaded machine makes correct moves slow (the target is 10 s on a quiet one).
    await pollUntil(done, { ...PATIENT, message: 'not every move started' }).catch(async (error: unknown) => {
      const states = await h.database.db.select({ state: reassignments.state, n: count() }).from(reassignments).groupBy(reassignments.state)
      throw new Error(`${String(error)}: ${JSON.stringify(states)}`)
    })
    console.info(`${MOVES} moves started within ${((Date.now() - sentAt) / 1000).toFixed(1)} s of the commands`)
    // Every history is queued for its new topic (links and jobs), and the replay is under way.
    const [links] = await h.database.db.select({ n: count() }).from(relayLinks).where(eq(relayLinks.kind, 'replay'))
    expect(links?.n).toBe(MOVES * HISTORY)
    await sim.waitFor(() => sim.chatMessages(world.groups.south.id).some((m) => m.text?.includes('history of mover')), PATIENT)
  }, 900_000)
})

/** Stores HISTORY - 1 more messages per customer, copies of the one each sent (a long conversation, set up without Telegram). */
async function seedHistory(): Promise<void> {
  const { db } = h.database
  const sent = await db.select().from(messages).where(like(messages.text, 'history of mover %'))
  expect(sent).toHaveLength(MOVES)
  const copies = sent.flatMap(({ id: _id, ...row }) =>
    Array.from({ length: HISTORY - 1 }, (_, n) => ({
      ...row,
      messageId: 1_000_000 + row.messageId * 1000 + n,
      text: `${row.text} (${n + 1})`,
      raw: JSON.stringify({ ...JSON.parse(row.raw), text: `${row.text} (${n + 1})` }),
    })),
  )
  for (let i = 0; i < copies.length; i += 1000) await db.insert(messages).values(copies.slice(i, i + 1000))
}

/**
 * A hang guard, not a budget: onboarding and relaying for 100 clients takes ~20 s on a quiet
 * machine and minutes on a loaded one, and a slow but correct run must pass.
 */
const PATIENT = { timeoutMs: 400_000 }

/**
 * Every mover goes through onboarding at once (each step for all, then the next); returns their
 * CS topics. Each probe reads a chat once for all movers: a read renders every message of the
 * chat, and one read per mover every 10 ms took the CPU the service needed.
 */
async function onboardAll(): Promise<number[]> {
  const { sim, world } = h
  const client = world.bots.client.id
  const cs = world.groups.cs.id
  const north = world.groups.north.id
  const saw = (c: (typeof clients)[number], text: string) => sim.privateMessages(c.user.id, client).some((m) => m.from.is_bot && m.text?.includes(text))
  for (const c of clients) sim.sendPrivate(c.user.id, client, { text: '/start' })
  await sim.waitFor(() => clients.every((c) => saw(c, 'email address')), PATIENT)
  for (const c of clients) sim.sendPrivate(c.user.id, client, { text: c.email })
  const cardsByEmail = () => {
    const cards = new Map<string, ReturnType<typeof sim.chatMessages>[number]>()
    for (const m of sim.chatMessages(cs)) {
      const email = m.reply_markup ? m.text?.split('\n').find((line) => line.startsWith('Email: ')) : undefined
      if (email && !cards.has(email)) cards.set(email, m)
    }
    return cards
  }
  const cards = await sim.waitFor(() => {
    const found = cardsByEmail()
    return clients.every((c) => found.has(`Email: ${c.email}`)) && found
  }, PATIENT)
  for (const c of clients) {
    const card = cards.get(`Email: ${c.email}`)!
    await sim.pressButton(world.people.alice.id, cs, card.message_id, buttonData(card, 'CR North'))
  }
  await sim.waitFor(() => clients.every((c) => saw(c, 'Your team is ready')), PATIENT)
  const topicOf = (topics: ReturnType<typeof sim.topics>, c: (typeof clients)[number]) => topics.find((t) => t.name.startsWith(c.user.firstName))
  const csTopics = await sim.waitFor(() => {
    const [inCs, inNorth] = [sim.topics(cs), sim.topics(north)]
    return clients.every((c) => topicOf(inCs, c) && topicOf(inNorth, c)) && inCs
  }, PATIENT)
  return clients.map((c) => topicOf(csTopics, c)!.message_thread_id)
}
