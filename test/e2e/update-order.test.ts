import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages } from '../../src/db/schema/index.js'
import { pollUntil } from '../support/poll.js'
import { onboard, waitForPrivate } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

const storedText = async (text: string) => (await h.database.db.select({ id: messages.id }).from(messages).where(eq(messages.text, text))).length > 0

describe('update order', () => {
  it("handles one customer's topic while another customer's topic in the same group waits on a slow call, keeping each customer's order", async () => {
    const { sim, world } = h
    const yuri = await onboard(h, world.people.yuri, 'yuri@example.com', 'south')
    const cs = world.groups.cs.id
    const alice = world.people.alice.id
    // The answer to an unknown command is sent from the handler itself: make it slow.
    sim.setLatency({ methods: { sendMessage: 8000 } })
    try {
      sim.sendGroup(alice, cs, { text: '/nonsense' }, { threadId: zoe.cs })
      sim.sendGroup(alice, cs, { text: 'Zoe, after the command' }, { threadId: zoe.cs })
      sim.sendGroup(alice, cs, { text: 'Yuri, meanwhile' }, { threadId: yuri.cs })
      await pollUntil(() => storedText('Yuri, meanwhile'), { message: "Yuri's topic message stored" })
      // Yuri's topic did not wait for Zoe's slow handler; Zoe's next message still does.
      expect(sim.chatMessages(cs, { threadId: zoe.cs }).some((m) => m.text?.startsWith('Unknown command'))).toBe(false)
      expect(await storedText('Zoe, after the command')).toBe(false)
      const unknown = () => sim.chatMessages(cs, { threadId: zoe.cs }).find((m) => m.text?.startsWith('Unknown command /nonsense'))
      await sim.waitFor(unknown, { message: 'the slow answer to the unknown command' })
    } finally {
      sim.setLatency(false)
    }
    await waitForPrivate(h, world.people.yuri.id, world.bots.client.id, 'Yuri, meanwhile')
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Zoe, after the command')
  })
})
