import { and, eq, like } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { updates } from '../../src/db/schema/index.js'
import { onboard } from '../support/flows.js'
import { startHarness, type Harness } from '../support/harness.js'
import { pollUntil } from '../support/poll.js'

// grammY runner's stop() ends fetching, not the handlers it started: a stopping poller (and so a
// stopping service) waits for them before it lets its lock and its database go. Otherwise another
// instance takes up the same update while it still runs, or the handling loses its database.
describe('a handling in flight when polling stops', () => {
  let h: Harness | undefined
  afterAll(async () => {
    await h?.sim.close()
    await h?.database.close()
  })

  it('finishes and is marked handled before the service has stopped', async () => {
    h = await startHarness()
    const { sim, world } = h
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    const cs = world.groups.cs.id
    // The answer to a command is sent by its handler: make it slow.
    sim.setLatency({ methods: { sendMessage: 1500 } })
    const help = sim.sendGroup(world.people.alice.id, cs, { text: '/help' }, { threadId: zoe.cs })
    const stored = () =>
      h!.database.db
        .select()
        .from(updates)
        .where(and(eq(updates.botId, world.bots.cs.id), like(updates.payload, '%"text":"/help"%')))
    await pollUntil(async () => (await stored()).length === 1, { message: 'the /help update stored' })
    await h.app.stop()
    sim.setLatency(false)
    expect(sim.chatMessages(cs, { threadId: zoe.cs }).some((m) => m.from.is_bot && m.reply_to_message_id === help.message_id)).toBe(true)
    expect((await stored())[0]!.state).toBe('handled')
  })
})
