import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { accounts, assignments, auditLog, customers, topics } from '../../src/db/schema/index.js'
import { outboxSettled } from '../support/poll.js'
import { buttonData, cardAssignmentId, onboard, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useHarness } from '../support/suite.js'

// A fresh service, simulator and database for each test.
const h = useHarness({}, undefined, 'test')

describe('onboarding', () => {
  it('takes a client from /start to topics in CS and the chosen CR team', async () => {
    const { sim, world } = h
    const { zoe, alice, bob } = world.people
    sim.sendPrivate(zoe.id, world.bots.client.id, { text: '/start spring_campaign' })
    await waitForPrivate(h, zoe.id, world.bots.client.id, 'email address')
    sim.sendPrivate(zoe.id, world.bots.client.id, { text: '  Zoe@Example.com ' })
    await waitForPrivate(h, zoe.id, world.bots.client.id, 'Our team will be with you shortly')

    const onboardingTopic = await sim.waitFor(() => sim.topics(world.groups.cs.id).find((t) => t.name === 'Onboarding'))
    const card = await waitForTopicMessage(h, world.groups.cs.id, onboardingTopic.message_thread_id, 'zoe@example.com')
    expect(card.text).toContain('ACC-1001')
    expect(card.text).toContain('@zoeq')
    expect(card.text).toContain('spring_campaign')
    const labels = card.reply_markup!.inline_keyboard.flat().map((b) => b.text)
    expect(labels).toEqual(expect.arrayContaining(['→ CR North ★', '→ CR South', '☐ + Treatment', '✖ Reject']))

    const refused = await sim.pressButton(bob.id, world.groups.cs.id, card.message_id, buttonData(card, 'CR North'))
    expect(refused).toMatchObject({ text: 'Only CS leads can assign customers.', show_alert: true })
    expect(sim.topics(world.groups.cs.id).map((t) => t.name)).toEqual(['Onboarding'])

    const answer = await sim.pressButton(alice.id, world.groups.cs.id, card.message_id, buttonData(card, 'CR North'))
    expect(answer?.text).toBe('Assigned to CR North.')

    const csTopic = await sim.waitFor(() => sim.topics(world.groups.cs.id).find((t) => t.name === 'Zoe Quinn · ACC-1001'))
    const crTopic = await sim.waitFor(() => sim.topics(world.groups.north.id).find((t) => t.name === 'Zoe Quinn · ACC-1001'))
    expect(sim.topics(world.groups.south.id)).toHaveLength(0)
    expect(sim.topics(world.groups.treatment.id)).toHaveLength(0)
    const profile = await waitForTopicMessage(h, world.groups.cs.id, csTopic.message_thread_id, 'Account: ACC-1001')
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id, { threadId: csTopic.message_thread_id }).find((m) => m.message_id === profile.message_id && m.pinned))
    await waitForTopicMessage(h, world.groups.north.id, crTopic.message_thread_id, 'Assigned by Alice')
    await waitForPrivate(h, zoe.id, world.bots.client.id, 'Hello Zoe! Your team is ready')
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.message_id === card.message_id && m.text?.includes('✅ Assigned to CR North by Alice')))

    const [customer] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, zoe.id))
    expect(customer).toMatchObject({ state: 'active', crTeam: 'north', startPayload: 'spring_campaign' })
    expect(customer!.accountId).not.toBeNull()
    const rows = await h.database.db.select().from(topics).where(eq(topics.customerId, customer!.id))
    expect(rows.map((t) => [t.role, t.threadId, t.state]).sort()).toEqual(
      [
        ['cr', crTopic.message_thread_id, 'open'],
        ['cs', csTopic.message_thread_id, 'open'],
      ].sort(),
    )
    const audit = await h.database.db.select().from(auditLog).where(eq(auditLog.customerId, customer!.id))
    expect(audit).toEqual([expect.objectContaining({ action: 'assigned', actorUserId: alice.id })])
  })

  it('refuses malformed and unknown emails, then cools down after three failures', async () => {
    const { sim, world } = h
    const { mallory } = world.people
    const bot = world.bots.client.id
    sim.sendPrivate(mallory.id, bot, { text: '/start' })
    await waitForPrivate(h, mallory.id, bot, 'email address')
    sim.sendPrivate(mallory.id, bot, { text: 'not an email' })
    await waitForPrivate(h, mallory.id, bot, "doesn't look like an email")
    sim.sendPrivate(mallory.id, bot, { text: 'nobody@example.com' })
    await waitForPrivate(h, mallory.id, bot, "couldn't find an account")
    sim.sendPrivate(mallory.id, bot, { text: 'nobody2@example.com' })
    await waitForPrivate(h, mallory.id, bot, 'Too many attempts')
    // Even a valid email is not checked during the cooldown.
    sim.sendPrivate(mallory.id, bot, { text: 'zoe@example.com' })
    await sim.waitFor(() => sim.privateMessages(mallory.id, bot).filter((m) => m.text?.includes('Too many attempts')).length === 2)
    expect(sim.topics(world.groups.cs.id)).toHaveLength(0)
    const [customer] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, mallory.id))
    expect(customer).toMatchObject({ state: 'awaiting_email', accountId: null })
    expect(customer!.cooldownUntil!.getTime()).toBeGreaterThan(Date.now())
  })

  it('refuses an account already linked to another Telegram user, counts it towards the cooldown, and alerts CS once an hour per account', async () => {
    const { sim, world } = h
    await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    const bot = world.bots.client.id
    const alerts = () => sim.chatMessages(world.groups.cs.id).filter((m) => m.text?.includes('already linked to another Telegram user'))
    const { yuri, mallory } = world.people
    sim.sendPrivate(yuri.id, bot, { text: '/start' })
    await waitForPrivate(h, yuri.id, bot, 'email address')
    sim.sendPrivate(yuri.id, bot, { text: 'zoe@example.com' })
    await waitForPrivate(h, yuri.id, bot, 'already connected to another Telegram user')
    await sim.waitFor(() => alerts().length === 1)
    const [linked] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, yuri.id))
    expect(linked).toMatchObject({ state: 'awaiting_email', accountId: null, emailFailures: 1 })

    // Two more tries: the third failure in the window starts the cooldown; CS is not alerted again.
    sim.sendPrivate(yuri.id, bot, { text: 'zoe@example.com' })
    await sim.waitFor(() => sim.privateMessages(yuri.id, bot).filter((m) => m.text?.includes('already connected')).length === 2)
    sim.sendPrivate(yuri.id, bot, { text: 'zoe@example.com' })
    await waitForPrivate(h, yuri.id, bot, 'Too many attempts')
    const [cooling] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, yuri.id))
    expect(cooling!.cooldownUntil!.getTime()).toBeGreaterThan(Date.now())

    // Someone else trying the same account within the hour: refused, no second alert.
    sim.sendPrivate(mallory.id, bot, { text: '/start' })
    await waitForPrivate(h, mallory.id, bot, 'email address')
    sim.sendPrivate(mallory.id, bot, { text: 'zoe@example.com' })
    await waitForPrivate(h, mallory.id, bot, 'already connected to another Telegram user')
    await outboxSettled(h.app.db)
    expect(alerts()).toHaveLength(1)

    // An hour later the next attempt alerts again.
    await h.database.db.update(accounts).set({ linkConflictAlertedAt: new Date(Date.now() - 61 * 60_000) })
    sim.sendPrivate(mallory.id, bot, { text: 'zoe@example.com' })
    await sim.waitFor(() => alerts().length === 2)
  })

  it('shows a start payload on the cards as one short line', async () => {
    const { sim, world } = h
    const { zoe, alice } = world.people
    const bot = world.bots.client.id
    sim.sendPrivate(zoe.id, bot, { text: `/start spring\ncampaign\u0007\tfor ${'x'.repeat(100)}` })
    await waitForPrivate(h, zoe.id, bot, 'email address')
    sim.sendPrivate(zoe.id, bot, { text: 'zoe@example.com' })
    const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('zoe@example.com')))
    const payloadLine = (text: string | undefined) => text?.split('\n').find((line) => line.startsWith('Start payload:'))
    const expected = `Start payload: ${`spring campaign for ${'x'.repeat(100)}`.slice(0, 63)}…`
    expect(payloadLine(card.text)).toBe(expected)
    await sim.pressButton(alice.id, world.groups.cs.id, card.message_id, buttonData(card, 'CR North'))
    const csTopic = await sim.waitFor(() => sim.topics(world.groups.cs.id).find((t) => t.name.startsWith('Zoe')))
    const profile = await waitForTopicMessage(h, world.groups.cs.id, csTopic.message_thread_id, 'Account: ACC-1001')
    expect(payloadLine(profile.text)).toBe(expected)
  })

  it('lets exactly one of two leads pressing at the same instant assign the customer', async () => {
    const { sim, world } = h
    // Bob becomes a lead too for this test.
    h.app.projects[0]!.config.staff.find((s) => s.id === world.people.bob.id)!.roles.push('cs_lead')
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: '/start' })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'email address')
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'zoe@example.com' })
    const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('zoe@example.com')))
    const id = cardAssignmentId(card)
    const answers = await Promise.all([
      sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, `as:${id}:cr:north`),
      sim.pressButton(world.people.bob.id, world.groups.cs.id, card.message_id, `as:${id}:cr:south`),
      sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, `as:${id}:cr:north`),
    ])
    const winners = answers.filter((a) => a?.text?.startsWith('Assigned to'))
    expect(winners).toHaveLength(1)
    await sim.waitFor(() => sim.topics(world.groups.north.id).length + sim.topics(world.groups.south.id).length === 1)
    const rows = await h.database.db.select().from(topics)
    expect(rows.filter((t) => t.role === 'cr')).toHaveLength(1)
    expect(rows.filter((t) => t.role === 'cs')).toHaveLength(1)
    const [assignment] = await h.database.db.select().from(assignments)
    expect(assignment!.state).toBe('assigned')
  })

  it('stores messages sent before assignment and replays them in order, with Treatment when toggled', async () => {
    const { sim, world } = h
    const bot = world.bots.client.id
    const yuri = world.people.yuri
    sim.sendPrivate(yuri.id, bot, { text: '/start' })
    await waitForPrivate(h, yuri.id, bot, 'email address')
    sim.sendPrivate(yuri.id, bot, { text: 'yuri@example.com' })
    await waitForPrivate(h, yuri.id, bot, 'Our team will be with you shortly')
    for (const text of ['first question', 'second question', 'third question']) sim.sendPrivate(yuri.id, bot, { text })
    const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('yuri@example.com')))
    // The account's treatment flag pre-selects the toggle.
    expect(JSON.stringify(card.reply_markup)).toContain('☑ + Treatment')
    await sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, buttonData(card, 'CR South'))
    const treatmentTopic = await sim.waitFor(() => sim.topics(world.groups.treatment.id).find((t) => t.name.startsWith('Yuri')))
    const southTopic = await sim.waitFor(() => sim.topics(world.groups.south.id).find((t) => t.name.startsWith('Yuri')))
    for (const [chat, thread] of [
      [world.groups.treatment.id, treatmentTopic.message_thread_id],
      [world.groups.south.id, southTopic.message_thread_id],
    ] as const) {
      await waitForTopicMessage(h, chat, thread, 'third question')
      const texts = sim
        .chatMessages(chat, { threadId: thread })
        .map((m) => m.text)
        .filter((t) => t?.endsWith('question'))
      expect(texts).toEqual(['first question', 'second question', 'third question'])
    }
  })

  it('rejects a customer: no topics, the client is told, the card shows who decided', async () => {
    const { sim, world } = h
    const bot = world.bots.client.id
    sim.sendPrivate(world.people.zoe.id, bot, { text: '/start' })
    await waitForPrivate(h, world.people.zoe.id, bot, 'email address')
    sim.sendPrivate(world.people.zoe.id, bot, { text: 'zoe@example.com' })
    const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('zoe@example.com')))
    await sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, buttonData(card, 'Reject'))
    await waitForPrivate(h, world.people.zoe.id, bot, "we can't open a conversation")
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.message_id === card.message_id && m.text?.includes('Rejected by Alice')))
    expect(sim.topics(world.groups.north.id)).toHaveLength(0)
    // The decided card has no buttons left to press.
    const stale = await Promise.resolve()
      .then(() => sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, `as:${cardAssignmentId(card)}:cr:north`))
      .catch((error: Error) => error)
    expect(stale).toBeInstanceOf(Error)
    expect(sim.topics(world.groups.north.id)).toHaveLength(0)
  })
})
