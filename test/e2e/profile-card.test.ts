import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../support/harness.js'
import { onboard, waitForPrivate, type OnboardedTopics } from '../support/flows.js'

let h: Harness
let zoe: OnboardedTopics
beforeAll(async () => {
  h = await startHarness({ project: { relay: { notePrefix: '#note' } } })
  zoe = await onboard(h, h.world.people.zoe, 'zoe@example.com', 'north')
})
afterAll(async () => h?.stop())

describe('profile card', () => {
  it('tells staff the configured note prefix, and a message with it stays an internal note', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const card = await sim.waitFor(() => sim.chatMessages(cs, { threadId: zoe.cs }).find((m) => m.text?.startsWith('👤')))
    expect(card.text).toContain('start a message with #note for an internal note')
    expect(card.text).not.toContain('//')
    sim.sendGroup(world.people.bob.id, cs, { text: '#note VIP, handle with care' }, { threadId: zoe.cs })
    sim.sendGroup(world.people.bob.id, cs, { text: 'after the note' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'after the note')
    expect(sim.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.text?.includes('VIP'))).toBe(false)
  })
})
