import { describe, expect, it } from 'vitest'
import { waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

describe('delivery errors that staff must hear about', () => {
  it('raises the group alarm when a bot was restricted from posting ("have no write access to the chat")', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Assigned by Alice')
    sim.restrictMember(zoe.crChat, world.bots.cr.id)
    try {
      sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'while CR is muted' })
      await waitForTopicMessage(h, cs, zoe.cs, 'while CR is muted')
      const onboarding = sim.topics(cs).find((t) => t.name === 'Onboarding')!
      const alarm = await waitForTopicMessage(h, cs, onboarding.message_thread_id, '🚨 Delivery alarm')
      expect(alarm.text).toContain('@acme_cr_bot cannot post in "CR North"')
      expect(alarm.text).toContain('have no write access to the chat')
    } finally {
      sim.restrictMember(zoe.crChat, world.bots.cr.id, false)
      sim.promote(zoe.crChat, world.bots.cr.id)
    }
  })

  it('tells staff plainly when the client never started the bot', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    // What Telegram answers for a private chat the user never opened (the simulator gives it for any such user).
    sim.failNext({ method: 'sendMessage', chatId: world.people.zoe.id, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" })
    const original = sim.sendGroup(world.people.alice.id, cs, { text: 'Did you get the parcel?' }, { threadId: zoe.cs })
    const note = await waitForTopicMessage(h, cs, zoe.cs, 'Not delivered')
    expect(note.text).toContain('has not started a chat with @acme_bot')
    expect(note.reply_to_message_id).toBe(original.message_id)
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Not delivered')
    // Nothing else broke: the next message reaches the client.
    sim.sendGroup(world.people.alice.id, cs, { text: 'Second try' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Second try')
    expect(sim.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.text?.includes('parcel'))).toBe(false)
  })
})
