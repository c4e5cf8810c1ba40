import { and, desc, eq } from 'drizzle-orm'
import { Api } from 'grammy'
import { describe, expect, it } from 'vitest'
import { assignmentLog, conversationRatings, customers, topics, updates } from '../../src/db/schema/index.js'
import type { SampleWorld } from '../../src/demo/sample-world.js'
import { exportCustomerData } from '../../src/domain/personal-data.js'
import { buttonData, onboard, waitForTopicMessage, type OnboardedTopics, clearOwners } from '../support/flows.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * Open and resolved conversations (issue 10), with two projects running: `/resolve` (the
 * customer's owner or a CS lead), a person closing the CR topic by hand, the client's next
 * message reopening it, and the client's 1–5 rating, stored, told to the topics and shown in /history.
 */
const alphaTopics = lateBound<OnboardedTopics>('acme topics')
const betaTopics = lateBound<OnboardedTopics>('beta topics')
const [zoe, betaZoe] = [alphaTopics.view, betaTopics.view]
const resolve = { askRating: true, ratingPrompt: 'How did we do? Rate this conversation from 1 to 5.' }
const recorder = createQueryRecorder()
const h = useHarness({ secondBrand: true, project: { resolve }, betaProject: { resolve }, queryLogger: recorder }, async (harness) => {
  alphaTopics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north'))
  betaTopics.set(await onboard(harness, harness.beta!.people.zoe, 'zoe@example.com', 'south', { world: harness.beta! }))
  // These tests set owners themselves.
  await clearOwners(harness)
})
const b = () => h.beta!

const customerOf = async (projectId: number, telegramUserId: number) =>
  (
    await h.database.db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, projectId), eq(customers.telegramUserId, telegramUserId)))
  )[0]!
const acmeZoe = () => customerOf(h.projectId, h.world.people.zoe.id)
const untilConversation = (projectId: number, userId: number, state: 'open' | 'resolved') =>
  pollUntil(async () => (await customerOf(projectId, userId)).conversation === state, { message: `conversation ${state}` })
const crTopicState = async (topics_: OnboardedTopics) =>
  (
    await h.database.db
      .select()
      .from(topics)
      .where(and(eq(topics.chatId, topics_.crChat), eq(topics.threadId, topics_.cr)))
  )[0]!.state
const logOf = async (customerId: number) => h.database.db.select().from(assignmentLog).where(eq(assignmentLog.customerId, customerId)).orderBy(assignmentLog.id)
const latestResolution = async (customerId: number) =>
  (
    await h.database.db
      .select()
      .from(assignmentLog)
      .where(and(eq(assignmentLog.customerId, customerId), eq(assignmentLog.action, 'resolved')))
      .orderBy(desc(assignmentLog.id))
      .limit(1)
  )[0]!
const ratingsOf = async (customerId: number) => h.database.db.select().from(conversationRatings).where(eq(conversationRatings.customerId, customerId))

const say = (world: SampleWorld, userId: number, chatId: number, threadId: number, text: string) => h.sim.sendGroup(userId, chatId, { text }, { threadId })
const botAnswer = (chatId: number, threadId: number, pattern: string) =>
  waitForTopicMessage(h, chatId, threadId, (m) => m.from.is_bot && m.text !== undefined && m.text.includes(pattern))
/** Messages a test posted itself with a client bot's token (a duplicated prompt), as `<bot id>:<message id>`. */
const planted = new Set<string>()
/** The rating prompts the service sent the client so far, oldest first. */
const ratingPrompts = (world: SampleWorld, userId: number) =>
  h.sim
    .privateMessages(userId, world.bots.client.id)
    .filter((m) => m.from.is_bot && m.text?.startsWith('How did we do?') && !planted.has(`${world.bots.client.id}:${m.message_id}`))
const promptNumber = async (world: SampleWorld, userId: number, n: number) => {
  await h.sim.waitFor(() => ratingPrompts(world, userId).length >= n, { message: `rating prompt #${n}` })
  return ratingPrompts(world, userId)[n - 1]!
}

describe('/resolve', () => {
  it('is refused to staff who are neither the owner nor a CS lead, and changes nothing', async () => {
    const { world } = h
    say(world, world.people.bob.id, world.groups.cs.id, zoe.cs, '/resolve')
    expect((await botAnswer(world.groups.cs.id, zoe.cs, 'resolve')).text).toBe("Only the customer's owner or a CS lead can resolve the conversation.")
    // Carol works in Zoe's CR team but does not own her.
    say(world, world.people.carol.id, zoe.crChat, zoe.cr, '/resolve')
    expect((await botAnswer(zoe.crChat, zoe.cr, 'resolve')).text).toBe("Only the customer's owner or a CS lead can resolve the conversation.")
    await outboxSettled(h.app.db)
    expect((await acmeZoe()).conversation).toBe('open')
    expect(await crTopicState(zoe)).toBe('open')
  })

  it('by the owner: resolved, the CR topic closed, the client asked for a rating; the rating is stored, told and shown in /history', async () => {
    const { sim, world } = h
    const customer = await acmeZoe()
    await h.database.db.update(customers).set({ ownerUserId: world.people.carol.id }).where(eq(customers.id, customer.id))
    say(world, world.people.carol.id, zoe.crChat, zoe.cr, '/resolve')
    await untilConversation(h.projectId, world.people.zoe.id, 'resolved')
    expect((await acmeZoe()).resolvedAt).toBeInstanceOf(Date)
    await sim.waitFor(() => sim.topics(zoe.crChat).find((t) => t.message_thread_id === zoe.cr)?.closed, { message: 'the CR topic closed' })
    expect(await crTopicState(zoe)).toBe('closed')
    await botAnswer(world.groups.cs.id, zoe.cs, '✅ Resolved by Carol')
    await botAnswer(zoe.crChat, zoe.cr, '✅ Resolved by Carol')
    // The CS topic stays open.
    expect(sim.topics(world.groups.cs.id).find((t) => t.message_thread_id === zoe.cs)?.closed).toBe(false)

    const prompt = await promptNumber(world, world.people.zoe.id, 1)
    expect(prompt.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['1', '2', '3', '4', '5'])
    const answer = await sim.pressButton(world.people.zoe.id, world.bots.client.id, prompt.message_id, buttonData(prompt, '4'))
    expect(answer?.text).toBe('Thank you for your rating!')
    const resolution = await latestResolution(customer.id)
    expect((await ratingsOf(customer.id)).map((r) => [r.resolutionId, r.rating])).toEqual([[resolution.id, 4]])
    expect(resolution.actorUserId).toBe(world.people.carol.id)
    await botAnswer(world.groups.cs.id, zoe.cs, '⭐ Zoe Quinn rated the conversation 4/5')
    await botAnswer(zoe.crChat, zoe.cr, '⭐ Zoe Quinn rated the conversation 4/5')
    // The prompt loses its buttons: a second press cannot even be made without forging it.
    await sim.waitFor(() => !ratingPrompts(world, world.people.zoe.id)[0]?.reply_markup, { message: 'the prompt without buttons' })
    expect(ratingPrompts(world, world.people.zoe.id)[0]!.text).toBe('How did we do? Rate this conversation from 1 to 5.\n\nYou rated it 4/5. Thank you!')
    // A duplicate of the prompt (an uncertain send retried) cannot rate the same resolution twice.
    const clientApi = new Api(world.bots.client.token, { apiRoot: sim.url })
    const duplicate = await clientApi.sendMessage(world.people.zoe.id, prompt.text!, { reply_markup: prompt.reply_markup! })
    planted.add(`${world.bots.client.id}:${duplicate.message_id}`)
    const again = await sim.pressButton(world.people.zoe.id, world.bots.client.id, duplicate.message_id, buttonData(prompt, '1'))
    expect(again?.text).toBe('You have already rated this conversation. Thank you!')
    expect((await ratingsOf(customer.id)).map((r) => r.rating)).toEqual([4])

    say(world, world.people.alice.id, world.groups.cs.id, zoe.cs, '/history')
    const history = await botAnswer(world.groups.cs.id, zoe.cs, 'Assignment history')
    expect(history.text).toMatch(/· resolved, rated 4\/5 · by Carol \(command\)/)
    // The customer's data export carries it too.
    const exported = await exportCustomerData(h.database.db, h.projectId, customer.id, 'test', new Date())
    expect(exported!.ratings.map((r) => [r.resolutionId, r.rating])).toEqual([[resolution.id, 4]])
  })

  it("the client's next message reopens the conversation and the CR topic, and /history shows it", async () => {
    const { sim, world } = h
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'One more question' })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'One more question')
    await untilConversation(h.projectId, world.people.zoe.id, 'open')
    expect((await acmeZoe()).resolvedAt).toBeNull()
    expect(sim.topics(zoe.crChat).find((t) => t.message_thread_id === zoe.cr)?.closed).toBe(false)
    expect(await crTopicState(zoe)).toBe('open')
    const log = await logOf((await acmeZoe()).id)
    expect(log.at(-1)).toMatchObject({ action: 'reopened', reason: 'client_message' })
    say(world, world.people.alice.id, world.groups.cs.id, zoe.cs, '/history')
    await sim.waitFor(
      () =>
        sim
          .chatMessages(world.groups.cs.id, { threadId: zoe.cs })
          .filter((m) => m.text?.startsWith('Assignment history'))
          .at(-1)
          ?.text?.match(/· reopened · by the client \(client message\)$/),
      { message: '/history with the reopening' },
    )
  })

  it('by a CS lead; an old rating prompt is refused once the conversation was resolved again', async () => {
    const { sim, world } = h
    const customer = await acmeZoe()
    await h.database.db.update(customers).set({ ownerUserId: null }).where(eq(customers.id, customer.id))
    say(world, world.people.alice.id, world.groups.cs.id, zoe.cs, '/resolve')
    await untilConversation(h.projectId, world.people.zoe.id, 'resolved')
    const second = await promptNumber(world, world.people.zoe.id, 2)
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Actually, one more thing' })
    await untilConversation(h.projectId, world.people.zoe.id, 'open')
    say(world, world.people.alice.id, world.groups.cs.id, zoe.cs, '/resolve')
    await untilConversation(h.projectId, world.people.zoe.id, 'resolved')
    const third = await promptNumber(world, world.people.zoe.id, 3)
    const old = await sim.pressButton(world.people.zoe.id, world.bots.client.id, second.message_id, buttonData(second, '5'))
    expect(old?.text).toBe('This rating request has expired. Thank you all the same!')
    expect((await ratingsOf(customer.id)).map((r) => r.rating)).toEqual([4])
    const current = await sim.pressButton(world.people.zoe.id, world.bots.client.id, third.message_id, buttonData(third, '5'))
    expect(current?.text).toBe('Thank you for your rating!')
    expect((await ratingsOf(customer.id)).map((r) => r.rating)).toEqual([4, 5])
    expect((await latestResolution(customer.id)).actorUserId).toBe(world.people.alice.id)
    // Resolving a resolved conversation changes nothing.
    say(world, world.people.alice.id, world.groups.cs.id, zoe.cs, '/resolve')
    expect((await botAnswer(world.groups.cs.id, zoe.cs, 'already resolved')).text).toBe('The conversation with Zoe Quinn is already resolved.')
  })
})

describe('a person closing the CR topic by hand', () => {
  it('resolves the conversation (and asks for a rating); reopening it by hand reopens it', async () => {
    const { sim, world } = h
    const customer = await acmeZoe()
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Back again' })
    await untilConversation(h.projectId, world.people.zoe.id, 'open')
    // The CR topic's reopening is queued before the message's copy.
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Back again')
    sim.closeTopicByHand(zoe.crChat, zoe.cr)
    await untilConversation(h.projectId, world.people.zoe.id, 'resolved')
    expect(await latestResolution(customer.id)).toMatchObject({ reason: 'topic_closed' })
    await promptNumber(world, world.people.zoe.id, 4)
    await botAnswer(world.groups.cs.id, zoe.cs, 'closed the CR topic')
    sim.reopenTopicByHand(zoe.crChat, zoe.cr)
    await untilConversation(h.projectId, world.people.zoe.id, 'open')
    expect((await logOf(customer.id)).at(-1)).toMatchObject({ action: 'reopened', reason: 'topic_reopened' })
  })

  it('closing the CS topic by hand only closes that topic', async () => {
    const { sim, world } = h
    sim.closeTopicByHand(world.groups.cs.id, zoe.cs)
    await pollUntil(
      async () =>
        (
          await h.database.db
            .select()
            .from(topics)
            .where(and(eq(topics.chatId, world.groups.cs.id), eq(topics.threadId, zoe.cs)))
        )[0]?.state === 'closed',
      { message: 'CS topic closed' },
    )
    await outboxSettled(h.app.db)
    expect((await acmeZoe()).conversation).toBe('open')
    sim.reopenTopicByHand(world.groups.cs.id, zoe.cs)
  })

  it('by an admin who is not on the roster changes nothing: no resolution, no rating prompt', async () => {
    const { sim, world } = h
    await untilConversation(h.projectId, world.people.zoe.id, 'open')
    const prompts = ratingPrompts(world, world.people.zoe.id).length
    const mallory = world.people.mallory.id
    const handledCloses = async () =>
      (
        await h.database.db
          .select({ payload: updates.payload })
          .from(updates)
          .where(and(eq(updates.botId, world.bots.cr.id), eq(updates.state, 'handled')))
      ).filter((u) => u.payload.includes('"forum_topic_closed"')).length
    const before = await handledCloses()
    sim.promote(zoe.crChat, mallory, { can_manage_topics: true })
    sim.closeTopicByHand(zoe.crChat, zoe.cr, mallory)
    await pollUntil(async () => (await handledCloses()) === before + 1, { message: 'the close handled' })
    await outboxSettled(h.app.db)
    expect((await acmeZoe()).conversation).toBe('open')
    expect(await crTopicState(zoe)).toBe('open')
    expect(ratingPrompts(world, world.people.zoe.id)).toHaveLength(prompts)
    sim.reopenTopicByHand(zoe.crChat, zoe.cr, mallory)
  })
})

describe('two projects', () => {
  it("a rating button naming another project's resolution is refused and changes nothing", async () => {
    const { sim, world } = h
    const customer = await acmeZoe()
    const before = await ratingsOf(customer.id)
    // Acme's latest prompt is still unanswered; forged data naming another resolution is refused.
    const acmePrompt = await promptNumber(world, world.people.zoe.id, 4)
    const acmeData = buttonData(acmePrompt, '1')
    const forged = acmeData.replace(/^rt:(\d+):(\d+):/, (_, c: string, r: string) => `rt:${c}:${Number(r) - 1}:`)
    expect((await sim.pressButton(world.people.zoe.id, world.bots.client.id, acmePrompt.message_id, forged, { forged: true }))?.text).toBe(
      'This button does not belong to this message.',
    )
    // Beta's client bot carrying acme's data (as a stale or planted message would): beta's client is not acme's customer.
    const betaApi = new Api(b().bots.client.token, { apiRoot: sim.url })
    const planted = await betaApi.sendMessage(b().people.zoe.id, 'Rate us', { reply_markup: { inline_keyboard: [[{ text: '1', callback_data: acmeData }]] } })
    const refused = await sim.pressButton(b().people.zoe.id, b().bots.client.id, planted.message_id, acmeData)
    expect(refused?.text).toBe('This button is no longer valid.')
    expect(await ratingsOf(customer.id)).toEqual(before)
    expect((await customerOf(b().projectId, b().people.zoe.id)).conversation).toBe('open')
  })

  it("resolving in one project leaves the other's customer, topics and /history alone", async () => {
    const { sim, world } = h
    const beta = b()
    expect((await customerOf(beta.projectId, beta.people.zoe.id)).conversation).toBe('open')
    // Bob is on both rosters, a CS lead in neither.
    say(beta, world.people.bob.id, beta.groups.cs.id, betaZoe.cs, '/resolve')
    await botAnswer(beta.groups.cs.id, betaZoe.cs, 'CS lead can resolve')
    say(beta, beta.people.alice.id, beta.groups.cs.id, betaZoe.cs, '/resolve')
    await untilConversation(beta.projectId, beta.people.zoe.id, 'resolved')
    await sim.waitFor(() => sim.topics(beta.groups.south.id).find((t) => t.message_thread_id === betaZoe.cr)?.closed, { message: 'beta CR topic closed' })
    const prompt = await promptNumber(beta, beta.people.zoe.id, 1)
    expect((await sim.pressButton(beta.people.zoe.id, beta.bots.client.id, prompt.message_id, buttonData(prompt, '2')))?.text).toBe('Thank you for your rating!')
    await botAnswer(beta.groups.cs.id, betaZoe.cs, 'rated the conversation 2/5')
    // Acme's side: untouched by beta's resolve and rating.
    await outboxSettled(h.app.db)
    const acme = await acmeZoe()
    expect((await ratingsOf(acme.id)).map((r) => r.rating)).toEqual([4, 5])
    expect(
      sim
        .chatMessages(world.groups.cs.id)
        .map((m) => m.text ?? '')
        .join('\n'),
    ).not.toContain('2/5')
    say(beta, beta.people.alice.id, beta.groups.cs.id, betaZoe.cs, '/history')
    const history = await botAnswer(beta.groups.cs.id, betaZoe.cs, 'Assignment history')
    expect(history.text).toContain('resolved, rated 2/5 · by Alice (command)')
    expect(history.text).not.toContain('4/5')
    expect(history.text).not.toContain('Carol')
  })

  it('every statement of resolving, rating and reopening is scoped to its project', async () => {
    await outboxSettled(h.app.db)
    expect(unscopedStatements(recorder.statements, await projectOwnedTables(h.database.db))).toEqual([])
  })
})
