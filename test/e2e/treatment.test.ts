import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers, topics } from '../../src/db/schema/index.js'
import { buttonData, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()
/** Thread of the Treatment topic opened by the first test. */
let treatmentThread: number
/** A second confirmation, asked before the first one was pressed. */
let stalePromptId: number

const cs = () => h.world.groups.cs.id
const treatmentGroup = () => h.world.groups.treatment.id
const clientBot = () => h.world.bots.client.id
const hhmm = (unix: number) => new Date(unix * 1000).toISOString().slice(11, 16)
const texts = (chatId: number, threadId: number) =>
  h.sim
    .chatMessages(chatId, { threadId })
    .filter((m) => m.kind !== 'service')
    .map((m) => m.text ?? `[${m.kind}]`)
const customerRow = async () => (await h.database.db.select().from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id)))[0]!
const treatmentRows = async (customerId: number) =>
  h.database.db
    .select()
    .from(topics)
    .where(and(eq(topics.customerId, customerId), eq(topics.role, 'treatment')))
    .orderBy(topics.id)

/** Sends `/treatment` in a topic and returns the bot's confirmation with its buttons. */
async function askTreatment(userId: number, chatId: number, threadId: number) {
  const command = h.sim.sendGroup(userId, chatId, { text: '/treatment' }, { threadId })
  return h.sim.waitFor(() =>
    h.sim.chatMessages(chatId, { threadId }).find((m) => m.message_id > command.message_id && m.reply_markup && m.text?.startsWith('Open a Treatment topic')),
  )
}

describe('Treatment workflow', () => {
  it('opens a Treatment topic from /treatment after a confirmation, with the latest messages replayed in order and labelled', async () => {
    const { sim, world } = h
    const first = sim.sendPrivate(world.people.zoe.id, clientBot(), { text: 'My skin reacts to the new cream' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'reacts to the new cream')
    const reply = sim.sendGroup(world.people.alice.id, cs(), { text: 'Sorry to hear that, stop using it for now' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, clientBot(), 'stop using it')
    sim.sendGroup(world.people.alice.id, cs(), { text: '// looks like an allergy' }, { threadId: zoe.cs })
    const last = sim.sendPrivate(world.people.zoe.id, clientBot(), { text: 'It started on Monday' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'started on Monday')

    const prompt = await askTreatment(world.people.alice.id, cs(), zoe.cs)
    expect(prompt.from.id).toBe(world.bots.cs.id)
    expect(prompt.text).toContain('The last 10 messages will be copied into it.')
    stalePromptId = (await askTreatment(world.people.bob.id, cs(), zoe.cs)).message_id

    // Not rostered, or rostered without a CS/CR role: refused, nothing opened.
    sim.addMember(cs(), world.people.tess.id)
    for (const person of [world.people.mallory, world.people.tess]) {
      const refused = await sim.pressButton(person.id, cs(), prompt.message_id, buttonData(prompt, 'Open Treatment topic'))
      expect(refused).toMatchObject({ text: 'Only CS or CR staff can open a Treatment topic.', show_alert: true })
    }
    expect(sim.topics(treatmentGroup())).toHaveLength(0)

    const answer = await sim.pressButton(world.people.alice.id, cs(), prompt.message_id, buttonData(prompt, 'Open Treatment topic'))
    expect(answer?.text).toBe('Treatment topic opened.')
    const topic = await sim.waitFor(() => sim.topics(treatmentGroup()).find((t) => t.name === 'Zoe Quinn · ACC-1001'))
    treatmentThread = topic.message_thread_id
    await waitForTopicMessage(h, treatmentGroup(), treatmentThread, 'started on Monday')
    expect(texts(treatmentGroup(), treatmentThread)).toEqual([
      expect.stringContaining('Account: ACC-1001'),
      '🩺 Treatment opened by Alice.',
      `↩ Zoe Quinn · ${hhmm(first.date)}\nMy skin reacts to the new cream`,
      `↩ Alice · CS · ${hhmm(reply.date)}\nSorry to hear that, stop using it for now`,
      `↩ Zoe Quinn · ${hhmm(last.date)}\nIt started on Monday`,
    ])
    const card = sim.chatMessages(treatmentGroup(), { threadId: treatmentThread }).find((m) => m.text?.includes('Account: ACC-1001'))!
    expect(card.pinned).toBe(true)
    expect(card.from.id).toBe(world.bots.treatment.id)
    // The confirmation shows the outcome and loses its buttons.
    await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.message_id === prompt.message_id && m.text?.startsWith('✅ Treatment topic opened by Alice') && !m.reply_markup))

    const customer = await customerRow()
    expect(customer.treatment).toBe(true)
    expect((await treatmentRows(customer.id)).map((t) => [t.generation, t.teamKey, t.state])).toEqual([[0, 'treatment', 'open']])
  })

  it('refuses to open a second Treatment topic, from a stale confirmation or a new /treatment', async () => {
    const { sim, world } = h
    const stale = sim.chatMessages(cs()).find((m) => m.message_id === stalePromptId)!
    const refused = await sim.pressButton(world.people.bob.id, cs(), stalePromptId, buttonData(stale, 'Open Treatment topic'))
    expect(refused).toMatchObject({ text: 'This customer already has an open Treatment topic.', show_alert: true })
    const command = sim.sendGroup(world.people.carol.id, zoe.crChat, { text: '/treatment' }, { threadId: zoe.cr })
    const answer = await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.message_id > command.message_id && m.from.is_bot)
    expect(answer.text).toBe('This customer already has an open Treatment topic.')
    expect(sim.topics(treatmentGroup())).toHaveLength(1)
  })

  it('carries Treatment replies to the client as "Tess · Treatment" and client messages into the Treatment topic', async () => {
    const { sim, world } = h
    sim.sendGroup(world.people.tess.id, treatmentGroup(), { text: 'Please send a photo of the area' }, { threadId: treatmentThread })
    const atClient = await waitForPrivate(h, world.people.zoe.id, clientBot(), 'photo of the area')
    expect(atClient.text).toBe('Tess · Treatment\nPlease send a photo of the area')
    const mirror = await waitForTopicMessage(h, cs(), zoe.cs, 'photo of the area')
    expect(mirror.text).toBe('Tess · Treatment → client\nPlease send a photo of the area')
    sim.sendPrivate(world.people.zoe.id, clientBot(), { text: 'Here it is' })
    const copy = await waitForTopicMessage(h, treatmentGroup(), treatmentThread, 'Here it is')
    expect(copy.from.id).toBe(world.bots.treatment.id)
  })

  it('closes with /treatment close: topic retired and closed, CS told, no more copies there, both changes in /history', async () => {
    const { sim, world } = h
    sim.sendGroup(world.people.tess.id, treatmentGroup(), { text: '/treatment close' }, { threadId: treatmentThread })
    await waitForTopicMessage(h, treatmentGroup(), treatmentThread, '🩺 Treatment closed by Tess. Messages here no longer reach the client.')
    await sim.waitFor(() => sim.topics(treatmentGroup()).find((t) => t.message_thread_id === treatmentThread && t.closed))
    await waitForTopicMessage(h, cs(), zoe.cs, '🩺 Treatment topic closed by Tess.')
    const customer = await customerRow()
    expect(customer.treatment).toBe(false)
    expect((await treatmentRows(customer.id)).map((t) => t.state)).toEqual(['retired'])

    sim.sendPrivate(world.people.zoe.id, clientBot(), { text: 'Is anyone still there?' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'anyone still there')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'anyone still there')
    expect(texts(treatmentGroup(), treatmentThread).some((t) => t.includes('anyone still there'))).toBe(false)

    const command = sim.sendGroup(world.people.alice.id, cs(), { text: '/history' }, { threadId: zoe.cs })
    const history = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.message_id > command.message_id && !!m.text?.startsWith('Assignment history'))
    expect(history.text).toMatch(/treatment opened · by Alice \(command\)/)
    expect(history.text).toMatch(/treatment closed · by Tess \(command\)/)
  })

  it('opens a fresh Treatment topic (next generation) after the previous one was closed', async () => {
    const { sim, world } = h
    const prompt = await askTreatment(world.people.carol.id, zoe.crChat, zoe.cr)
    expect(prompt.from.id).toBe(world.bots.cr.id)
    const answer = await sim.pressButton(world.people.carol.id, zoe.crChat, prompt.message_id, buttonData(prompt, 'Open Treatment topic'))
    expect(answer?.text).toBe('Treatment topic opened.')
    const fresh = await sim.waitFor(() => sim.topics(treatmentGroup()).find((t) => t.message_thread_id !== treatmentThread && !t.closed))
    await waitForTopicMessage(h, treatmentGroup(), fresh.message_thread_id, 'anyone still there')
    const customer = await customerRow()
    expect((await treatmentRows(customer.id)).map((t) => [t.generation, t.state])).toEqual([
      [0, 'retired'],
      [1, 'open'],
    ])
  })
})
