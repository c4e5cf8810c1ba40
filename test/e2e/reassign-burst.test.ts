import { and, count, eq, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, reassignments, relayLinks } from '../../src/db/schema/index.js'
import { MOVE_CONCURRENCY } from '../../src/domain/reassignment/runner.js'
import type { SimUser } from '../../src/simulator/types.js'
import { pollUntil } from '../support/poll.js'
import { seedOnboarded } from '../support/seed-customers.js'
import { useHarness } from '../support/suite.js'

/**
 * Many "/reassign south now" at once (a lead moving a team's customers): every move must start
 * (its transaction committed, its replay queued) at once, not deadlock the others and wait for
 * the cron job. The cron job runs once a year here, so only the immediate start counts.
 */
/** Ten times the moves a process runs at once: 100 moves of 200 messages proved no more and were the suite's longest file. */
const MOVES = 10 * MOVE_CONCURRENCY
/** Messages of history per customer: one sent through Telegram, the rest stored copies of it. */
const HISTORY = 100
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
    // Onboarding is not what is tested here (onboarding.test.ts is): the 100 customers and their topics are seeded.
    const topics = (await seedOnboarded(h, clients, 'north')).map((t) => t.cs)
    for (const [i, client] of clients.entries()) sim.sendPrivate(client.user.id, world.bots.client.id, { text: `history of mover ${i}` })
    await sim.waitFor(() => sim.chatMessages(world.groups.north.id).filter((m) => m.text?.startsWith('history of mover')).length === MOVES, PATIENT)
    await seedHistory()
    // A group takes ~20 messages a minute on Telegram (the planner's budgets, off here), so replays
    // trickle out while the moves run; unthrottled, the simulator would take thousands of replayed
    // copies meanwhile and starve the moves of the CPU they are measured on. Each send takes 1 s.
    sim.setLatency({ methods: { sendMessage: 1000 } })

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
 * A hang guard, not a budget: relaying and moving for 100 clients takes seconds on a quiet
 * machine and minutes on a loaded one, and a slow but correct run must pass.
 */
const PATIENT = { timeoutMs: 400_000 }
