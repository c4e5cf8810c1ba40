import { and, eq, isNotNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { assignments, customers, updates } from '../../src/db/schema/index.js'
import { assignCustomer } from '../../src/domain/onboarding/assign-customer.js'
import { setPresence } from '../../src/domain/presence.js'
import { createLogger } from '../../src/logger.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

const ARRIVALS = 20
let second: App
let clients: Array<{ id: number }> = []
const h = useHarness(
  {
    project: { routing: { rule: 'online_first', whenNobodyOnline: 'queue', maxOpenPerAgent: 3 } },
    prepare: (sim, world) => {
      // Carol and Dave both work for CR North here.
      world.project.staff = world.project.staff.map((member) => (member.roles.includes('cr') ? { ...member, teams: ['north', 'south'] } : member))
      clients = Array.from({ length: ARRIVALS }, (_, i) => {
        world.accounts.push({ email: `client${i}@example.com`, name: `Client ${i}`, accountId: `ACC-C${i}`, crTeam: 'north', treatment: false })
        return sim.createUser({ firstName: `Client${i}` })
      })
    },
  },
  async (harness) => {
    // A second service process on the same database and bots (in-process, with its own pools and locks).
    second = await startApp(createConfig(harness.config), createLogger('silent'), { migrate: false })
  },
)

/** Open customers per owner, straight from the database. */
async function openPerOwner(): Promise<Map<number, number>> {
  const rows = await h.database.db
    .select({ owner: customers.ownerUserId })
    .from(customers)
    .where(and(eq(customers.projectId, h.projectId), isNotNull(customers.ownerUserId), eq(customers.conversation, 'open')))
  const counts = new Map<number, number>()
  for (const { owner } of rows) counts.set(owner!, (counts.get(owner!) ?? 0) + 1)
  return counts
}

describe('routing under two service processes', () => {
  it('never gives an agent more than maxOpenPerAgent, with 20 customers assigned at once through both processes', async () => {
    const { sim, world } = h
    const [carol, dave] = [world.people.carol.id, world.people.dave.id]
    for (const agent of [carol, dave]) await setPresence(h.app.db, agent, 'online', new Date())
    // Twenty clients give their email; their onboarding cards are posted.
    clients.forEach((client) => sim.sendPrivate(client.id, world.bots.client.id, { text: '/start' }))
    clients.forEach((client, i) => sim.sendPrivate(client.id, world.bots.client.id, { text: `client${i}@example.com` }))
    const cards = () =>
      h.database.db
        .select()
        .from(assignments)
        .where(and(eq(assignments.projectId, h.projectId), isNotNull(assignments.cardMessageId)))
    await pollUntil(async () => (await cards()).length === ARRIVALS, { message: 'twenty onboarding cards' })
    // Each email was handled at its first attempt (the first ones of a project all ask for its
    // Onboarding topic at once); a failed handling would wait 30 s for the redrive.
    expect(await h.database.db.select({ updateId: updates.updateId, error: updates.error }).from(updates).where(isNotNull(updates.error))).toEqual([])

    // All twenty assigned at the same instant, half through each process.
    const apps = [h.app, second]
    const outcomes = await Promise.all(
      (await cards()).map((card, i) => {
        const app = apps[i % 2]!
        const project = app.projects.find((p) => p.id === h.projectId)!
        return assignCustomer(app.deps, project, { customerId: card.customerId, team: 'north', by: world.people.alice.id })
      }),
    )
    expect(outcomes.every((o) => o.ok)).toBe(true)
    expect(await openPerOwner()).toEqual(
      new Map([
        [carol, 3],
        [dave, 3],
      ]),
    )
    const waiting = await h.database.db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), isNotNull(customers.queuedAt)))
    expect(waiting).toHaveLength(ARRIVALS - 6)

    // Room for two more each: both processes drain the queue, and still nobody goes over.
    for (const app of apps) app.projects.find((p) => p.id === h.projectId)!.config.routing.maxOpenPerAgent = 5
    await pollUntil(async () => [...(await openPerOwner()).values()].reduce((a, b) => a + b, 0) === 10, { message: 'ten customers owned' })
    await serviceSettled(h.database.db)
    expect(await openPerOwner()).toEqual(
      new Map([
        [carol, 5],
        [dave, 5],
      ]),
    )
    await second.stop()
  })
})
