import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { outbox, topics } from '../../src/db/schema/index.js'
import { waitForTopicMessage } from '../support/flows.js'
import { outboxSettled, pollUntil, serviceSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

describe('group alarm', () => {
  it('raises one alarm in the Onboarding topic when a bot was removed from its group, however many sends fail', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    // Everything onboarding queued for the CR topic is delivered before the bot is kicked.
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Assigned by Alice')
    // The owner's notice and the card edit naming them go out before the bot is removed.
    await outboxSettled(h.app.db)
    sim.removeMember(zoe.crChat, world.bots.cr.id)
    const [crTopic] = await h.database.db
      .select()
      .from(topics)
      .where(and(eq(topics.chatId, zoe.crChat), eq(topics.threadId, zoe.cr)))
    const deadCopies = async () =>
      (
        await h.database.db
          .select({ id: outbox.id })
          .from(outbox)
          .where(and(eq(outbox.destination, `topic:${crTopic!.id}`), eq(outbox.state, 'dead')))
      ).length

    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'first message' })
    await waitForTopicMessage(h, cs, zoe.cs, 'first message')
    const onboarding = sim.topics(cs).find((t) => t.name === 'Onboarding')!
    const alarm = await waitForTopicMessage(h, cs, onboarding.message_thread_id, '🚨 Delivery alarm')
    expect(alarm.text).toContain('@acme_cr_bot cannot post in "CR North"')

    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'second message' })
    await waitForTopicMessage(h, cs, zoe.cs, 'second message')
    await pollUntil(async () => (await deadCopies()) === 2, { message: 'both copies to CR North dead-lettered' })
    await serviceSettled(h.database.db)
    const alarms = sim.chatMessages(cs, { threadId: onboarding.message_thread_id }).filter((m) => m.text?.startsWith('🚨'))
    expect(alarms).toHaveLength(1)
  })
})
