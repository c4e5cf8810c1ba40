import { and, eq } from 'drizzle-orm'
import { describe, expect, it, onTestFinished } from 'vitest'
import { scheduleMovesFromRecords } from '../../src/domain/reassignment/records.js'
import { accounts, customers, outbox, reassignments, updates } from '../../src/db/schema/index.js'
import type { SampleWorld } from '../../src/demo/sample-world.js'
import { buttonData, onboard, waitForPrivate, waitForTopicMessage, type OnboardedTopics } from '../support/flows.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * Two projects ("acme" and "beta") in one process and one database, a client onboarded in each
 * and Bob on the CS staff of both: nothing of one project reaches, shows in or is changed from
 * the other. (The admin API's project scope is covered in test/server/api.test.ts.)
 */
const alphaTopics = lateBound<OnboardedTopics>('acme topics')
const betaTopics = lateBound<OnboardedTopics>('beta topics')
const [alpha, beta] = [alphaTopics.view, betaTopics.view]
const recorder = createQueryRecorder()
const h = useHarness({ secondBrand: true, queryLogger: recorder }, async (harness) => {
  alphaTopics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north'))
  betaTopics.set(await onboard(harness, harness.beta!.people.zoe, 'zoe@example.com', 'south', { world: harness.beta! }))
})
const b = () => h.beta!
const say = (world: SampleWorld, userId: number, topic: number, text: string) => h.sim.sendGroup(userId, world.groups.cs.id, { text }, { threadId: topic })
const botAnswer = (world: SampleWorld, topic: number, pattern: string | RegExp) =>
  waitForTopicMessage(h, world.groups.cs.id, topic, (m) => m.from.is_bot && m.text !== undefined && (typeof pattern === 'string' ? m.text.includes(pattern) : pattern.test(m.text)))
const profileCard = (world: SampleWorld, topic: number) =>
  h.sim.waitFor(() => h.sim.chatMessages(world.groups.cs.id, { threadId: topic }).find((m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR')))

describe('two projects in one service', () => {
  it('relays the shared agent to each brand’s own client only, with each brand’s labels', async () => {
    const { sim, world } = h
    const bob = world.people.bob.id
    say(world, bob, alpha.cs, 'Hello from Acme')
    say(b(), bob, beta.cs, 'Hello from Beta')
    expect((await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Hello from Acme')).text).toBe('Bob · CS\nHello from Acme')
    expect((await waitForPrivate(h, b().people.zoe.id, b().bots.client.id, 'Hello from Beta')).text).toBe('Bob · Beta Care\nHello from Beta')
    await outboxSettled(h.app.db)
    const texts = (userId: number, botId: number) => sim.privateMessages(userId, botId).map((m) => m.text ?? '')
    expect(texts(world.people.zoe.id, world.bots.client.id).join('\n')).not.toContain('Beta')
    expect(texts(b().people.zoe.id, b().bots.client.id).join('\n')).not.toContain('Acme')
    // Neither client bot ever wrote to the other brand's client.
    expect(sim.privateMessages(b().people.zoe.id, world.bots.client.id)).toEqual([])
    expect(sim.privateMessages(world.people.zoe.id, b().bots.client.id)).toEqual([])
    expect((await waitForTopicMessage(h, world.groups.north.id, alpha.cr, 'Hello from Acme')).text).toBe('Bob · CS → client\nHello from Acme')
    expect((await waitForTopicMessage(h, b().groups.south.id, beta.cr, 'Hello from Beta')).text).toBe('Bob · Beta Care → client\nHello from Beta')
    expect(
      sim
        .chatMessages(b().groups.south.id)
        .map((m) => m.text ?? '')
        .join('\n'),
    ).not.toContain('Acme')
  })

  it('/history shows only the project’s own assignment log', async () => {
    const { world } = h
    say(world, world.people.alice.id, alpha.cs, '/history')
    const history = await botAnswer(world, alpha.cs, 'Assignment history')
    expect(history.text).toContain('→ north')
    expect(history.text).not.toContain('south')
    say(b(), b().people.alice.id, beta.cs, '/history')
    const other = await botAnswer(b(), beta.cs, 'Assignment history')
    expect(other.text).toContain('→ south')
    expect(other.text).not.toContain('north')
  })

  it('/failed lists only the project’s own dead deliveries, and its retry button cannot revive the other’s', async () => {
    const { sim, world } = h
    // The reply to Beta's client fails permanently and lands on beta's /failed. (Not by blocking the
    // bot: the service hears of a block from the client bot's own update, and when that update is
    // handled before the staff message, it rightly sends nothing, so there is no dead letter — the
    // order of two bots' updates decided this test under load.)
    sim.failNext({ token: b().bots.client.token, method: 'sendMessage', chatId: b().people.zoe.id, error_code: 403, description: 'Forbidden: bot was blocked by the user' })
    say(b(), b().people.alice.id, beta.cs, 'Are you still there?')
    // The service took the refusal for a block; she unblocks the bot again (so the tests after this one reach her).
    onTestFinished(async () => {
      sim.blockBot(b().people.zoe.id, b().bots.client.id)
      sim.unblockBot(b().people.zoe.id, b().bots.client.id)
      await pollUntil(async () => (await h.database.db.select().from(customers).where(eq(customers.telegramUserId, b().people.zoe.id))).every((c) => !c.blocked), {
        message: 'beta Zoe unblocked',
      })
    })
    await pollUntil(async () => (await h.database.db.select().from(outbox).where(eq(outbox.state, 'dead'))).length > 0, {
      message: 'a dead letter in beta',
      explain: async () => ({
        outbox: await h.database.db.select().from(outbox).where(eq(outbox.projectId, b().projectId)),
        updates: await h.database.db
          .select({ botId: updates.botId, updateId: updates.updateId, state: updates.state, attempts: updates.attempts, error: updates.error, createdAt: updates.createdAt })
          .from(updates)
          .where(eq(updates.projectId, b().projectId)),
      }),
    })
    const [dead] = await h.database.db.select().from(outbox).where(eq(outbox.state, 'dead'))
    expect(dead!.projectId).toBe(b().projectId)
    say(b(), b().people.alice.id, beta.cs, '/failed')
    const betaList = await sim.waitFor(() => sim.chatMessages(b().groups.cs.id).find((m) => m.from.is_bot && m.text?.includes('Failed deliveries')), { message: 'beta /failed' })
    expect(betaList.text).toContain(`#${dead!.id}`)
    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/failed' })
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.from.is_bot && m.text?.includes('No failed deliveries')), { message: 'acme /failed' })
    // Beta's retry button, copied onto a button of Acme's group, revives nothing.
    const acmeCard = await profileCard(world, alpha.cs)
    const forged = await sim.pressButton(world.people.alice.id, world.groups.cs.id, acmeCard.message_id, buttonData(betaList, `#${dead!.id}`), { forged: true })
    expect(forged?.text).not.toContain('queued again')
    const [after] = await h.database.db.select().from(outbox).where(eq(outbox.id, dead!.id))
    expect(after!.state).toBe('dead')
  })

  it('refuses buttons of the other project’s cards pressed in this project, changing nothing', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    sim.sendGroup(b().people.alice.id, b().groups.cs.id, { text: '/reassign north 2099-01-01 10:00' }, { threadId: beta.cs })
    const scheduled = await sim.waitFor(() => sim.chatMessages(b().groups.cs.id).find((m) => m.text?.includes('2099-01-01 10:00 UTC') && m.reply_markup), { message: 'beta plan' })
    const [plan] = await h.database.db.select().from(reassignments).where(eq(reassignments.state, 'scheduled'))
    expect(plan!.projectId).toBe(b().projectId)
    const acmeCard = await profileCard(world, alpha.cs)
    const betaCard = await profileCard(b(), beta.cs)
    for (const data of [buttonData(scheduled, 'Cancel'), buttonData(betaCard, 'Reassign CR'), `ra:w:${plan!.customerId}:north:now`, `ra:t:${plan!.customerId}:north`]) {
      const answer = await sim.pressButton(world.people.alice.id, cs, acmeCard.message_id, data, { forged: true })
      expect(answer).toMatchObject({ show_alert: true })
    }
    // Acme's own customer with beta's plan: bound to the right customer, still not Acme's plan.
    const [acmeZoe] = await h.database.db.select().from(customers).where(eq(customers.projectId, h.projectId))
    const crossed = await sim.pressButton(world.people.alice.id, cs, acmeCard.message_id, `ra:c:${acmeZoe!.id}:${plan!.id}`, { forged: true })
    expect(crossed?.text).not.toBe('Cancelled.')
    await outboxSettled(h.app.db)
    const [still] = await h.database.db.select().from(reassignments).where(eq(reassignments.id, plan!.id))
    expect(still!.state).toBe('scheduled')
    expect(sim.topics(b().groups.north.id).filter((t) => !t.deleted)).toEqual([])
    expect(sim.chatMessages(cs).filter((m) => m.from.is_bot && m.text?.includes('Zoe Quinn to CR'))).toEqual([])
  })

  it('a bot of one project added to the other’s group acts on nothing there', async () => {
    const { sim, world } = h
    const bob = world.people.bob.id
    const intruder = world.bots.cs.id
    sim.addMember(b().groups.cs.id, intruder)
    sim.promote(b().groups.cs.id, intruder, { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true })
    const original = say(b(), bob, beta.cs, 'Beta only, keep it')
    await waitForPrivate(h, b().people.zoe.id, b().bots.client.id, 'Beta only, keep it')
    for (const text of ['/history', '/failed', '/reassign north now', '/ban']) say(b(), b().people.alice.id, beta.cs, text)
    sim.sendGroup(bob, b().groups.cs.id, { text: '/delete' }, { threadId: beta.cs, replyTo: original.message_id })
    await botAnswer(b(), beta.cs, 'Assignment history')
    await outboxSettled(h.app.db)
    // Beta's own bot answered and deleted; Acme's bot posted nothing and touched nothing there.
    expect(sim.chatMessages(b().groups.cs.id, { includeDeleted: true }).filter((m) => m.from.id === intruder)).toEqual([])
    expect(
      sim
        .privateMessages(world.people.zoe.id, world.bots.client.id)
        .map((m) => m.text ?? '')
        .join('\n'),
    ).not.toContain('Beta only')
  })

  it('moves by account records only the project’s own customers', async () => {
    const { db } = h.database
    await db
      .update(accounts)
      .set({ crTeamHint: 'south' })
      .where(and(eq(accounts.projectId, h.projectId), eq(accounts.email, 'zoe@example.com')))
    const project = (id: number) => h.app.projects.find((p) => p.id === id)!
    expect(await scheduleMovesFromRecords(h.app.deps, project(b().projectId))).toBe(0)
    expect(await db.select().from(reassignments).where(eq(reassignments.projectId, h.projectId))).toEqual([])
    expect(await scheduleMovesFromRecords(h.app.deps, project(h.projectId))).toBe(1)
    const [move] = await db.select().from(reassignments).where(eq(reassignments.projectId, h.projectId))
    expect(move).toMatchObject({ toTeam: 'south', source: 'records' })
  })

  // Runs last: it checks every statement the flows above made the service send.
  it('sends no query on a project-owned table without a project condition', async () => {
    await outboxSettled(h.app.db)
    const owned = await projectOwnedTables(h.database.db)
    expect(owned).toEqual(expect.arrayContaining(['customers', 'topics', 'messages', 'outbox', 'updates']))
    expect(recorder.statements.length).toBeGreaterThan(100)
    expect(unscopedStatements(recorder.statements, owned)).toEqual([])
  })
})
