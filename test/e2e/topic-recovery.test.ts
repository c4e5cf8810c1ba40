import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { outbox } from '../../src/db/schema/index.js'
import { onboard, type OnboardedTopics } from '../support/flows.js'
import { outboxSettled } from '../support/poll.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * A CS topic deleted by hand is recreated when the next copy fails with "message thread not
 * found". A network failure during that recovery is retried like any send, not dead-lettered.
 */
const topics = lateBound<OnboardedTopics>('zoe topics')
/** When armed, the statement that records a recreated topic's new thread (onTopicRecreated) loses its connection once. */
let failRecording = false
const faults = {
  logQuery(query: string, params: unknown[]) {
    if (!failRecording || !/^update `topics` set `thread_id` = \?, `state` = \?,/.test(query) || params[1] !== 'open') return
    failRecording = false
    throw Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' })
  },
}
const h = useHarness({ queryLogger: faults }, async (harness) => {
  topics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north'))
})

describe('topic recovery', () => {
  for (const drop of ['before', 'after'] as const) {
    it(`recreates a deleted topic when createForumTopic first loses its connection (${drop} taking effect)`, async () => {
      const { sim, world } = h
      const cs = world.groups.cs.id
      // Onboarding's card edits (the owner routing chose) finish first: an edit of the card in the
      // topic deleted below fails for good, which is not what this test is about (CI saw one).
      await outboxSettled(h.database.db)
      const gone = sim.topics(cs).find((t) => !t.deleted && t.name.startsWith('Zoe Quinn'))!
      sim.deleteTopicByHand(cs, gone.message_thread_id)
      sim.failNext({ token: world.bots.cs.token, method: 'createForumTopic', chatId: cs, drop })
      const text = `Still there? (${drop})`
      sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text })
      // The message arrives in a new topic of Zoe's (a call dropped after taking effect leaves one
      // more, empty: Telegram has no idempotency key, and recovery tries again).
      const copy = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.text?.includes(text)), { message: 'the copy', timeoutMs: 10_000 })
      const recreated = sim.topics(cs).find((t) => t.message_thread_id === copy.thread_id)!
      expect(recreated).toMatchObject({ deleted: false, name: gone.name })
      expect(recreated.message_thread_id).not.toBe(gone.message_thread_id)
      expect(sim.stats().faults).toBeGreaterThan(0)
      await outboxSettled(h.database.db)
      expect(await h.database.db.select().from(outbox).where(eq(outbox.state, 'dead'))).toEqual([])
      topics.view.cs = recreated.message_thread_id
    })
  }

  it('creates one topic, not two, when recording the new topic first meets a database hiccup', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    await outboxSettled(h.database.db)
    const before = new Set(sim.topics(cs).map((t) => t.message_thread_id))
    const gone = sim.topics(cs).find((t) => !t.deleted && t.message_thread_id === topics.view.cs)!
    sim.deleteTopicByHand(cs, gone.message_thread_id)
    failRecording = true
    const text = 'Anyone? (database hiccup)'
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text })
    const copy = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.text?.includes(text)), { message: 'the copy', timeoutMs: 10_000 })
    await outboxSettled(h.database.db)
    expect(failRecording).toBe(false)
    // The topic Telegram created is the one recorded and used: a second createForumTopic would leave an empty twin.
    expect(
      sim
        .topics(cs)
        .filter((t) => !before.has(t.message_thread_id))
        .map((t) => t.message_thread_id),
    ).toEqual([copy.thread_id])
    expect(await h.database.db.select().from(outbox).where(eq(outbox.state, 'dead'))).toEqual([])
  })
})
