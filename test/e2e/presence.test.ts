import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { agentPresence, customers } from '../../src/db/schema/index.js'
import { ManualClock } from '../../src/domain/clock.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import { askInGroup, askPrivately, onboard, waitForPrivate, type OnboardedTopics } from '../support/flows.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * Presence (/online, /away, /offline; recent activity), /who and /mine with two brands in one
 * service: Bob is CS in Acme and a CR North agent in Beta, so his one status shows in both.
 */
const clock = new ManualClock()
const recorder = createQueryRecorder()
const zoeTopics = lateBound<OnboardedTopics>('zoe')
const zoe = zoeTopics.view
const h = useHarness(
  {
    secondBrand: true,
    queryLogger: recorder,
    start: { clock },
    prepare: (_sim, world) => ({ agents: [{ id: world.people.bob.id, name: 'Bob', projects: { beta: { roles: ['cr'], teams: ['north'] } } }] }),
  },
  async (harness) => zoeTopics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north')),
)
const b = () => h.beta!

const presenceRow = async (userId: number) => (await h.database.db.select().from(agentPresence).where(eq(agentPresence.userId, userId)))[0]

describe('presence', () => {
  it('is set in a staff group or a private chat with a staff bot, and is the agent’s in every brand', async () => {
    const { world } = h
    const bob = world.people.bob.id
    expect((await askInGroup(h, bob, world.groups.cs.id, '/away')).text).toBe('🟡 away: Bob, you are away (in every brand you work for).')
    const betaWho = await askInGroup(h, b().people.alice.id, b().groups.cs.id, '/who')
    expect(betaWho.text).toContain('🟡 away Bob · 0 open')
    expect((await askPrivately(h, bob, b().bots.cr.id, '/online')).text).toContain('you are online')
    expect((await presenceRow(bob))?.status).toBe('online')
    expect((await askInGroup(h, b().people.alice.id, b().groups.cs.id, '/who')).text).toContain('🟢 online Bob · 0 open')
    // Anything else in a private chat with a staff bot gets a hint, and changes nothing.
    expect((await askPrivately(h, bob, world.bots.cs.id, 'hello')).text).toContain('Here I only take /online, /away, /offline')
  })

  it('refuses people who are not on the project’s roster, in private chats and groups', async () => {
    const { world } = h
    const carol = world.people.carol.id
    // Carol works for Acme only: Beta's bot does not act for her.
    expect((await askPrivately(h, carol, b().bots.cs.id, '/online')).text).toBe("Only this project's staff can set a status here.")
    expect((await askPrivately(h, world.people.mallory.id, world.bots.cs.id, '/offline')).text).toBe("Only this project's staff can set a status here.")
    expect((await askInGroup(h, world.people.mallory.id, world.groups.cs.id, '/away')).text).toBe("Only this project's staff can set a status here.")
    expect(await presenceRow(carol)).toBeUndefined()
    expect(await presenceRow(world.people.mallory.id)).toBeUndefined()
  })

  it('counts a post in a customer topic as online for presence.activeMinutes, then not', async () => {
    const { sim, world } = h
    const carol = world.people.carol.id
    const who = async () => (await askInGroup(h, carol, world.groups.north.id, '/who')).text ?? ''
    expect(await who()).toContain('⚪ offline Carol')
    sim.sendGroup(carol, world.groups.north.id, { text: 'Hello Zoe, Carol here' }, { threadId: zoe.cr })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Carol here')
    await pollUntil(async () => Boolean((await presenceRow(carol))?.lastActiveAt), { message: 'Carol’s activity recorded' })
    expect(await who()).toContain('🟢 online (active) Carol')
    // Within the minute, a second post is not written again (one upsert a minute per agent).
    const firstActivity = (await presenceRow(carol))!.lastActiveAt
    clock.advance(30_000)
    sim.sendGroup(carol, world.groups.north.id, { text: 'One more thing' }, { threadId: zoe.cr })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'One more thing')
    await serviceSettled(h.database.db)
    expect((await presenceRow(carol))!.lastActiveAt).toEqual(firstActivity)
    clock.advance(13 * 60_000 + 30_000)
    expect(await who()).toContain('🟢 online (active) Carol')
    clock.advance(2 * 60_000)
    expect(await who()).toContain('⚪ offline Carol')
    // A status said wins over activity.
    await askInGroup(h, carol, world.groups.north.id, '/away')
    sim.sendGroup(carol, world.groups.north.id, { text: 'Still here' }, { threadId: zoe.cr })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Still here')
    await pollUntil(async () => (await presenceRow(carol))!.lastActiveAt!.getTime() === clock.now().getTime(), { message: 'the new activity recorded' })
    expect(await who()).toContain('🟡 away Carol')
  })

  it('/who lists the team’s agents (every team in the CS group) with their open customers; /mine links the agent’s topics', async () => {
    const { world } = h
    const [carol, dave] = [world.people.carol.id, world.people.dave.id]
    const acme = h.app.projects.find((p) => p.id === h.projectId)!
    const [row] = await h.database.db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), eq(customers.telegramUserId, world.people.zoe.id)))
    await h.app.db.transaction((tx) => changeOwner(tx, acme, row!.id, { to: carol, by: null, reason: 'routing' }))
    const north = await askInGroup(h, carol, world.groups.north.id, '/who')
    expect(north.text).toBe('👥 CR North\n🟡 away Carol · 1 open')
    const everyTeam = await askInGroup(h, world.people.alice.id, world.groups.cs.id, '/who')
    expect(everyTeam.text).toBe('👥 CR North\n🟡 away Carol · 1 open\n\n👥 CR South\n⚪ offline Dave · 0 open')
    const mine = await askInGroup(h, carol, world.groups.north.id, '/mine')
    expect(mine.text).toBe(`📋 Your open customers in Acme Agency (1):\n• Zoe Quinn — https://t.me/c/${String(world.groups.north.id).replace(/^-100/, '')}/${zoe.cr}`)
    expect((await askInGroup(h, dave, world.groups.south.id, '/mine')).text).toBe('You have no open customers in Acme Agency.')
    // A resolved conversation is no longer open.
    await h.database.db.update(customers).set({ conversation: 'resolved' }).where(eq(customers.id, row!.id))
    expect((await askInGroup(h, carol, world.groups.north.id, '/who')).text).toBe('👥 CR North\n🟡 away Carol · 0 open')
  })

  it('reads and changes only the project’s own rows (query guard)', async () => {
    expect(unscopedStatements(recorder.statements, await projectOwnedTables(h.database.db))).toEqual([])
  })
})
