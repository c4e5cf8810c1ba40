import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { outbox } from '../../src/db/schema/index.js'
import { onboard, waitForPrivate, type OnboardedTopics } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * One Telegram user who is a client of two brands has two private chats, one with each brand's
 * client bot (a private chat is per bot): a reply waiting for one brand's bot must not hold up
 * the other brand's reply to the same person.
 */
const acmeTopics = lateBound<OnboardedTopics>('acme topics')
const betaTopics = lateBound<OnboardedTopics>('beta topics')
const h = useHarness({ secondBrand: true }, async (harness) => {
  const zoe = harness.world.people.zoe
  acmeTopics.set(await onboard(harness, zoe, 'zoe@example.com', 'north'))
  betaTopics.set(await onboard(harness, zoe, 'zoe@example.com', 'south', { world: harness.beta! }))
})

describe('a client of two brands', () => {
  it('gets one brand’s reply while the other brand’s client bot waits out a 429', async () => {
    const { sim, world } = h
    const beta = h.beta!
    const zoe = world.people.zoe.id
    const bob = world.people.bob.id
    // Acme's client bot is told to wait half a minute before writing to Zoe again.
    sim.failNext({
      token: world.bots.client.token,
      method: 'sendMessage',
      chatId: zoe,
      error_code: 429,
      description: 'Too Many Requests: retry after 30',
      parameters: { retry_after: 30 },
    })
    sim.sendGroup(bob, world.groups.cs.id, { text: 'Acme here' }, { threadId: acmeTopics.view.cs })
    await pollUntil(
      async () =>
        (
          await h.database.db
            .select()
            .from(outbox)
            .where(and(eq(outbox.projectId, h.projectId), eq(outbox.state, 'pending')))
        ).some((row) => row.lastError?.includes('429')),
      { message: 'Acme’s reply waits for its retry' },
    )
    sim.sendGroup(bob, beta.groups.cs.id, { text: 'Beta here' }, { threadId: betaTopics.view.cs })
    // Well before Acme's retry time: Beta's bot has its own chat with Zoe.
    const started = Date.now()
    expect((await waitForPrivate(h, zoe, beta.bots.client.id, 'Beta here')).text).toBe('Bob · Beta Care\nBeta here')
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(sim.privateMessages(zoe, world.bots.client.id).some((m) => m.text?.includes('Acme here'))).toBe(false)
  })
})
