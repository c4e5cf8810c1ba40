import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assignmentLog, customers } from '../../src/db/schema/index.js'
import type { RoutingRule } from '../../src/domain/owners/choose-owner.js'
import { assignFromQueue } from '../../src/domain/owners/queue.js'
import { setPresence, type PresenceStatus } from '../../src/domain/presence.js'
import type { ProjectRuntime } from '../../src/domain/project-runtime.js'
import { buttonData, onboard, waitForTopicMessage } from '../support/flows.js'
import type { Harness } from '../support/harness.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

/** Clients of CR North, one per arrival, with their Telegram language. */
const CLIENTS = [
  ['Ann', 'en'],
  ['Ben', 'de'],
  ['Cid', undefined],
  ['Dan', 'en'],
  ['Eve', 'fr'],
  ['Fay', 'pt-br'],
  ['Gus', undefined],
  ['Hal', undefined],
  ['Ivy', undefined],
  ['Jon', undefined],
] as const
type ClientName = (typeof CLIENTS)[number][0]

let people: Record<ClientName | 'erin', { id: number }>
const h = useHarness({
  secondBrand: true,
  prepare: (sim, world) => {
    const erin = sim.createUser({ firstName: 'Erin', username: 'erin_cr' })
    sim.addMember(world.groups.north.id, erin.id)
    people = { erin } as unknown as typeof people
    for (const [name, languageCode] of CLIENTS) {
      people[name] = sim.createUser({ firstName: name, ...(languageCode ? { languageCode } : {}) })
      world.accounts.push({ email: `${name.toLowerCase()}@example.com`, name, accountId: `ACC-${name}`, crTeam: 'north', treatment: false })
    }
    // CR North: Carol (English), Dave (Portuguese, both teams), Erin; roster order is the round-robin order.
    const cr = (id: number, name: string, teams: string[], languages: string[]) => ({ id, name, languages, projects: { acme: { roles: ['cr' as const], teams } } })
    return {
      agents: [cr(world.people.carol.id, 'Carol', ['north'], ['en']), cr(world.people.dave.id, 'Dave', ['north', 'south'], ['pt']), cr(erin.id, 'Erin', ['north'], [])],
    }
  },
})

const acme = (): ProjectRuntime => h.app.projects.find((p) => p.id === h.projectId)!
const beta = (): ProjectRuntime => h.app.projects.find((p) => p.id === h.beta!.projectId)!
const route = (project: ProjectRuntime, routing: Partial<RoutingRule>) => (project.config.routing = { rule: 'round_robin', whenNobodyOnline: 'round_robin', ...routing })
const agents = () => ({ carol: h.world.people.carol.id, dave: h.world.people.dave.id, erin: people.erin.id })

async function presence(statuses: Partial<Record<'carol' | 'dave' | 'erin', PresenceStatus>>) {
  for (const [who, status] of Object.entries(statuses)) await setPresence(h.app.db, agents()[who as 'carol'], status, new Date())
}

async function arrive(name: ClientName) {
  return onboard(h, people[name], `${name.toLowerCase()}@example.com`, 'north', { name })
}

async function customerOf(name: ClientName, harness: Harness = h) {
  const [row] = await harness.database.db
    .select()
    .from(customers)
    .where(and(eq(customers.projectId, harness.projectId), eq(customers.telegramUserId, people[name].id)))
  return row!
}

async function ownerOf(name: ClientName) {
  return (await customerOf(name)).ownerUserId
}

/** What /resolve will do: the agent's customer stops counting as open. */
async function resolve(name: ClientName) {
  await h.database.db
    .update(customers)
    .set({ conversation: 'resolved', resolvedAt: new Date() })
    .where(eq(customers.id, (await customerOf(name)).id))
}

async function queueListing(by: number) {
  const { sim, world } = h
  const before = sim.chatMessages(world.groups.cs.id).length
  sim.sendGroup(by, world.groups.cs.id, { text: '/queue' })
  return sim.waitFor(() =>
    sim
      .chatMessages(world.groups.cs.id)
      .slice(before)
      .find((m) => m.from.is_bot && m.thread_id === undefined),
  )
}

describe('routing CR owners', () => {
  it('round robin takes turns in roster order, online or not, and names the owner in the CR topic with a mention', async () => {
    const ann = await arrive('Ann')
    for (const name of ['Ben', 'Cid', 'Dan'] as const) await arrive(name)
    const { carol, dave, erin } = agents()
    expect([await ownerOf('Ann'), await ownerOf('Ben'), await ownerOf('Cid'), await ownerOf('Dan')]).toEqual([carol, dave, erin, carol])
    const notice = await waitForTopicMessage(h, ann.crChat, ann.cr, (m) => m.text === '👤 Owner: Carol')
    expect(notice.entities).toContainEqual(expect.objectContaining({ type: 'text_mention', user: expect.objectContaining({ id: carol }) }))
    await outboxSettled(h.app.db)
    const card = h.sim.chatMessages(ann.crChat, { threadId: ann.cr }).find((m) => m.text?.startsWith('👤 Ann'))
    expect(card?.text).toContain('Owner: Carol')
  })

  it('online first takes turns among online agents only', async () => {
    route(acme(), { rule: 'online_first' })
    await presence({ carol: 'away', dave: 'offline', erin: 'online' })
    // Dave's turn, but only Erin is online.
    await arrive('Eve')
    expect(await ownerOf('Eve')).toBe(agents().erin)
  })

  it('prefers an agent speaking the client’s language among equals', async () => {
    await presence({ carol: 'online', dave: 'online', erin: 'online' })
    // Carol's turn; Fay's app speaks pt-br, and Dave lists Portuguese.
    await arrive('Fay')
    expect(await ownerOf('Fay')).toBe(agents().dave)
  })

  it('least busy takes the online agent with the fewest open customers', async () => {
    route(acme(), { rule: 'least_busy' })
    // Open: Carol Ann+Dan, Dave Ben+Fay, Erin Cid+Eve; Ben's conversation is resolved.
    await resolve('Ben')
    await arrive('Gus')
    expect(await ownerOf('Gus')).toBe(agents().dave)
  })

  it('queues when nobody is online; /queue lists the waiting customer for leads with a button per agent, and a press assigns', async () => {
    const { sim, world } = h
    route(acme(), { rule: 'online_first', whenNobodyOnline: 'queue' })
    await presence({ carol: 'offline', dave: 'away', erin: 'offline' })
    await arrive('Hal')
    const hal = await customerOf('Hal')
    expect(hal.ownerUserId).toBeNull()
    expect(hal.queuedAt).not.toBeNull()
    const [queued] = await h.database.db
      .select()
      .from(assignmentLog)
      .where(and(eq(assignmentLog.customerId, hal.id), eq(assignmentLog.action, 'queued')))
    expect(queued).toMatchObject({ toTeam: 'north', reason: 'routing: nobody online' })

    expect((await queueListing(world.people.bob.id)).text).toBe('Only CS leads can see the queue.')
    const listing = await queueListing(world.people.alice.id)
    expect(listing.text).toBe('Waiting for an owner (oldest first):\n1. Hal · CR North · waiting under a minute')
    expect(listing.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['1 → Carol', '1 → Dave', '1 → Erin'])

    const erinButton = buttonData(listing, '1 → Erin')
    expect((await sim.pressButton(world.people.bob.id, world.groups.cs.id, listing.message_id, erinButton))?.text).toBe('Only CS leads can give a waiting customer an owner.')
    // Data that is not on the listing (a forged agent) is refused before anything is read.
    const forged = erinButton.replace(/:\d+$/, `:${world.people.tess.id}`)
    expect((await sim.pressButton(world.people.alice.id, world.groups.cs.id, listing.message_id, forged, { forged: true }))?.text).toBe(
      'This button does not belong to this message.',
    )
    expect(await ownerOf('Hal')).toBeNull()

    expect((await sim.pressButton(world.people.alice.id, world.groups.cs.id, listing.message_id, erinButton))?.text).toBe('Hal → Erin.')
    expect(await ownerOf('Hal')).toBe(agents().erin)
    expect((await customerOf('Hal')).queuedAt).toBeNull()
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.message_id === listing.message_id && m.text === 'Nobody is waiting for an owner. 🎉'))
    // A stale press (through the domain, as the listing no longer shows the button) changes nothing.
    const stale = await assignFromQueue(h.app.deps, acme(), { customerId: hal.id, agentId: agents().carol, by: world.people.alice.id })
    expect(stale).toEqual({ ok: false, text: 'Hal already has an owner: Erin.' })
    expect(await ownerOf('Hal')).toBe(agents().erin)
  })

  it('routes waiting customers automatically within 5 s as an agent comes online or frees up', async () => {
    route(acme(), { rule: 'online_first', whenNobodyOnline: 'queue', maxOpenPerAgent: 3 })
    await arrive('Ivy')
    expect(await ownerOf('Ivy')).toBeNull()
    await presence({ carol: 'online' })
    const cameOnline = Date.now()
    await pollUntil(async () => (await ownerOf('Ivy')) === agents().carol, { timeoutMs: 5_000, message: 'Ivy routed to Carol' })
    expect(Date.now() - cameOnline).toBeLessThan(5_000)
    // Carol now has three open customers (Ann, Dan, Ivy): the limit. Jon waits although she is online.
    await arrive('Jon')
    expect(await ownerOf('Jon')).toBeNull()
    const listing = await queueListing(h.world.people.alice.id)
    expect(listing.text).toContain('1. Jon · CR North · waiting')
    // Erin owns Cid, Eve and Hal: only Dave (Fay, Gus; Ben resolved) has room.
    expect(listing.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['1 → Dave'])
    await resolve('Ann')
    const freed = Date.now()
    await pollUntil(async () => (await ownerOf('Jon')) === agents().carol, { timeoutMs: 5_000, message: 'Jon routed to Carol' })
    expect(Date.now() - freed).toBeLessThan(5_000)
  })

  it('keeps each project’s queue to itself', async () => {
    const second = h.beta!
    route(beta(), { rule: 'online_first', whenNobodyOnline: 'queue' })
    await onboard(h, second.people.zoe, 'zoe@example.com', 'north', { world: second })
    const [waiting] = await h.database.db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, second.projectId), eq(customers.telegramUserId, second.people.zoe.id)))
    expect(waiting?.queuedAt).not.toBeNull()
    expect((await queueListing(h.world.people.alice.id)).text).toBe('Nobody is waiting for an owner. 🎉')
    const refused = await assignFromQueue(h.app.deps, acme(), { customerId: waiting!.id, agentId: agents().carol, by: h.world.people.alice.id })
    expect(refused).toEqual({ ok: false, text: 'This customer is not in this project’s queue.' })
    const [after] = await h.database.db.select().from(customers).where(eq(customers.id, waiting!.id))
    expect(after).toMatchObject({ ownerUserId: null, queuedAt: waiting!.queuedAt })
    // Beta's leads see it in their own CS group.
    const { sim } = h
    sim.sendGroup(second.people.alice.id, second.groups.cs.id, { text: '/queue' })
    const listing = await sim.waitFor(() => sim.chatMessages(second.groups.cs.id).find((m) => m.from.is_bot && m.text?.startsWith('Waiting for an owner')))
    expect(listing.text).toContain('1. Zoe Quinn · CR North · waiting')
  })
})
