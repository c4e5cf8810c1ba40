import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, topics } from '../../src/db/schema/index.js'
import { pollUntil } from '../support/poll.js'
import { waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

const cs = () => h.world.groups.cs.id
const stateOf = async (chatId: number, threadId: number) =>
  (
    await h.database.db
      .select()
      .from(topics)
      .where(and(eq(topics.chatId, chatId), eq(topics.threadId, threadId)))
  )[0]?.state
const untilState = (chatId: number, threadId: number, state: string) => pollUntil(async () => (await stateOf(chatId, threadId)) === state, { message: `topic state ${state}` })
const simTopic = (chatId: number, threadId: number) => h.sim.topics(chatId).find((t) => t.message_thread_id === threadId)!
const written = (chatId: number, threadId: number) =>
  h.sim
    .chatMessages(chatId, { threadId })
    .filter((m) => m.kind !== 'service')
    .map((m) => m.text)

describe('topics closed by a person', () => {
  it('records the close; the next client message reopens the topic with a header, then the message', async () => {
    const { sim, world } = h
    sim.closeTopicByHand(cs(), zoe.cs)
    await untilState(cs(), zoe.cs, 'closed')
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Is anyone there?' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'Is anyone there?')
    expect(simTopic(cs(), zoe.cs).closed).toBe(false)
    expect(written(cs(), zoe.cs).slice(-2)).toEqual(['↩ Reopened: new message from the client', 'Is anyone there?'])
    expect(await stateOf(cs(), zoe.cs)).toBe('open')
    // The CR topic was never closed: the message, no header.
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Is anyone there?')
    expect(written(zoe.crChat, zoe.cr).some((t) => t?.startsWith('↩ Reopened'))).toBe(false)
  })

  it('records a reopen by hand, so the next client message needs no reopening', async () => {
    const { sim, world } = h
    sim.closeTopicByHand(cs(), zoe.cs)
    await untilState(cs(), zoe.cs, 'closed')
    sim.reopenTopicByHand(cs(), zoe.cs)
    await untilState(cs(), zoe.cs, 'open')
    const headers = () => written(cs(), zoe.cs).filter((t) => t?.startsWith('↩ Reopened')).length
    const before = headers()
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Still here' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'Still here')
    expect(headers()).toBe(before)
  })
})

describe('service messages', () => {
  const placeholders = async () => (await h.database.db.select().from(messages).where(eq(messages.kind, 'placeholder'))).map((m) => m.raw)

  it('are never relayed from a topic: pin, rename, close, reopen', async () => {
    const { sim, world } = h
    const pinned = sim.sendGroup(world.people.alice.id, cs(), { text: 'Our opening hours: 9–17' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Our opening hours')
    sim.pinByHand(world.people.alice.id, cs(), pinned.message_id)
    sim.renameTopicByHand(cs(), zoe.cs, 'Zoe Quinn · VIP')
    sim.closeTopicByHand(cs(), zoe.cs)
    sim.reopenTopicByHand(cs(), zoe.cs)
    sim.setAutoDeleteTimer(world.people.alice.id, cs(), 86_400)
    sim.sendGroup(world.people.alice.id, cs(), { text: 'Marker after the service messages' }, { threadId: zoe.cs })
    // The client's chat is delivered in order: anything relayed from the service messages would come first.
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Marker after the service messages')
    const fromBot = sim
      .privateMessages(world.people.zoe.id, world.bots.client.id)
      .filter((m) => m.from.is_bot)
      .map((m) => m.text ?? '')
    expect(fromBot.slice(-2).map((t) => t.split('\n').at(-1))).toEqual(['Our opening hours: 9–17', 'Marker after the service messages'])
    expect(fromBot.some((t) => t.includes('cannot be relayed'))).toBe(false)
    expect(await placeholders()).toEqual([])
  })

  it("are never relayed from the client's private chat: pin, auto-delete timer", async () => {
    const { sim, world } = h
    const zoeId = world.people.zoe.id
    const own = sim.sendPrivate(zoeId, world.bots.client.id, { text: 'My order number is 4711' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'My order number is 4711')
    const privateBefore = sim.privateMessages(zoeId, world.bots.client.id).length
    sim.pinByHand(zoeId, world.bots.client.id, own.message_id)
    sim.setAutoDeleteTimer(zoeId, world.bots.client.id, 604_800)
    sim.sendPrivate(zoeId, world.bots.client.id, { text: 'Marker after my pin' })
    for (const [chat, thread] of [
      [cs(), zoe.cs],
      [zoe.crChat, zoe.cr],
    ] as const) {
      await waitForTopicMessage(h, chat, thread, 'Marker after my pin')
      expect(written(chat, thread).slice(-2)).toEqual(['My order number is 4711', 'Marker after my pin'])
    }
    // Nothing was answered either: the pin, the timer and the marker are all the chat got.
    expect(
      sim
        .privateMessages(zoeId, world.bots.client.id)
        .slice(privateBefore)
        .map((m) => m.from.is_bot),
    ).toEqual([false, false, false])
    expect(await placeholders()).toEqual([])
  })
})
