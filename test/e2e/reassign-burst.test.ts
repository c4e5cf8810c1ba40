import { and, count, eq, inArray, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, reassignments } from '../../src/db/schema/index.js'
import type { SimUser } from '../../src/simulator/types.js'
import { onboard } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

/**
 * Many "/reassign south now" at once (a lead moving a team's customers): every move must start
 * (its transaction committed, its replay queued) at once, not deadlock the others and wait for
 * the cron job. The cron job runs once a year here, so only the immediate start counts.
 */
const MOVES = 100
/** Messages of history per customer: one sent through Telegram, the rest stored copies of it. */
const HISTORY = 20
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
    const topics: number[] = []
    for (let i = 0; i < clients.length; i += 5) {
      const batch = await Promise.all(clients.slice(i, i + 5).map((c) => onboard(h, c.user, c.email, 'north')))
      topics.push(...batch.map((t) => t.cs))
    }
    for (const [i, client] of clients.entries()) sim.sendPrivate(client.user.id, world.bots.client.id, { text: `history of mover ${i}` })
    await sim.waitFor(() => sim.chatMessages(world.groups.north.id).filter((m) => m.text?.startsWith('history of mover')).length === MOVES, { timeoutMs: 30_000 })
    await seedHistory()

    for (const threadId of topics) sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/reassign south now' }, { threadId })
    const done = async () => {
      const [row] = await h.database.db
        .select({ n: count() })
        .from(reassignments)
        .where(and(eq(reassignments.projectId, h.projectId), inArray(reassignments.state, ['done'])))
      return row?.n === MOVES
    }
    await pollUntil(done, { timeoutMs: 30_000, message: 'not every move started' })
    // Each new topic in South got its customer's history and the end-of-history line.
    await sim.waitFor(() => sim.chatMessages(world.groups.south.id).filter((m) => m.text?.includes('End of history')).length === MOVES, { timeoutMs: 120_000 })
    const replayed = sim.chatMessages(world.groups.south.id).filter((m) => m.text?.includes('history of mover'))
    expect(replayed).toHaveLength(MOVES * HISTORY)
    expect(new Set(replayed.map((m) => `${m.thread_id}:${/mover \d+/.exec(m.text ?? '')?.[0]}`)).size).toBe(MOVES)
  }, 300_000)
})

/** Stores HISTORY - 1 more messages per customer, copies of the one each sent (a long conversation, set up without Telegram). */
async function seedHistory(): Promise<void> {
  const { db } = h.database
  const sent = await db.select().from(messages).where(like(messages.text, 'history of mover %'))
  expect(sent).toHaveLength(MOVES)
  const copies = sent.flatMap(({ id: _id, ...row }) =>
    Array.from({ length: HISTORY - 1 }, (_, n) => ({ ...row, messageId: 1_000_000 + row.messageId * 1000 + n, text: `${row.text} (${n + 1})`, raw: JSON.stringify({ ...JSON.parse(row.raw), text: `${row.text} (${n + 1})` }) })),
  )
  await db.insert(messages).values(copies)
}
