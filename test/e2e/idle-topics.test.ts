import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { idleTopicsJob } from '../../src/cron/idle-topics.js'
import { topics } from '../../src/db/schema/index.js'
import { waitForTopicMessage } from '../support/flows.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe({}, (harness) => {
  harness.app.projects[0]!.config.topics.idleCloseDays = 7
})

const DAY = 86_400_000
/** Thread ids are per group: the row is found by chat and thread. */
const topicRow = async (chatId: number, threadId: number) =>
  (
    await h.database.db
      .select()
      .from(topics)
      .where(and(eq(topics.chatId, chatId), eq(topics.threadId, threadId)))
  )[0]!
const whereTopic = (chatId: number, threadId: number) => and(eq(topics.chatId, chatId), eq(topics.threadId, threadId))
const simTopic = (chatId: number, threadId: number) => h.sim.topics(chatId).find((t) => t.message_thread_id === threadId)!
const runIdleJob = () => h.app.cron.runOnce(idleTopicsJob(h.app.deps, h.app.projects, '0 * * * *'))

describe('idle topics', () => {
  it('records activity when a copy is queued into a topic and when staff write in it', async () => {
    const { sim, world } = h
    await h.database.db.update(topics).set({ lastActivityAt: new Date(Date.now() - 3 * DAY) })
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Hello again' })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Hello again')
    for (const [chat, thread] of [
      [world.groups.cs.id, zoe.cs],
      [zoe.crChat, zoe.cr],
    ] as const)
      expect((await topicRow(chat, thread)).lastActivityAt!.getTime()).toBeGreaterThan(Date.now() - 60_000)
    await h.database.db
      .update(topics)
      .set({ lastActivityAt: new Date(Date.now() - 3 * DAY) })
      .where(whereTopic(world.groups.cs.id, zoe.cs))
    // An internal note is not copied anywhere, yet it is activity in its own topic.
    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '// called her' }, { threadId: zoe.cs })
    await pollUntil(async () => (await topicRow(h.world.groups.cs.id, zoe.cs)).lastActivityAt!.getTime() > Date.now() - 60_000, { message: 'activity of the note' })
  })

  it('closes only the topic idle for longer than topics.idleCloseDays, once', async () => {
    const { sim, world } = h
    await h.database.db
      .update(topics)
      .set({ lastActivityAt: new Date(Date.now() - 10 * DAY) })
      .where(whereTopic(zoe.crChat, zoe.cr))
    await runIdleJob()
    await sim.waitFor(() => simTopic(zoe.crChat, zoe.cr).closed)
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, '💤 Closed after 7 days without messages')
    expect((await topicRow(zoe.crChat, zoe.cr)).state).toBe('closed')
    expect(simTopic(world.groups.cs.id, zoe.cs).closed).toBe(false)
    expect((await topicRow(h.world.groups.cs.id, zoe.cs)).state).toBe('open')
    // A second run finds nothing more to close.
    await runIdleJob()
    const notices = () => sim.chatMessages(zoe.crChat, { threadId: zoe.cr }).filter((m) => m.text?.startsWith('💤')).length
    await serviceSettled(h.database.db)
    expect(notices()).toBe(1)
  })

  it('reopens the topic on the next client message, with a one-line header before the message', async () => {
    const { sim, world } = h
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Back with another question' })
    const copy = await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Back with another question')
    expect(simTopic(zoe.crChat, zoe.cr).closed).toBe(false)
    const tail = sim
      .chatMessages(zoe.crChat, { threadId: zoe.cr })
      .filter((m) => m.kind !== 'service')
      .slice(-2)
      .map((m) => m.text)
    expect(tail).toEqual(['↩ Reopened after 10 days: new message from the client', 'Back with another question'])
    expect(copy.from.id).toBe(world.bots.cr.id)
    const row = await topicRow(zoe.crChat, zoe.cr)
    expect(row.state).toBe('open')
    expect(row.lastActivityAt!.getTime()).toBeGreaterThan(Date.now() - 60_000)
    // The CS topic, never closed, got the message without any header.
    const inCs = await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'Back with another question')
    expect(sim.chatMessages(world.groups.cs.id, { threadId: zoe.cs }).some((m) => m.text?.startsWith('↩ Reopened'))).toBe(false)
    expect(inCs.text).toBe('Back with another question')
  })
})
