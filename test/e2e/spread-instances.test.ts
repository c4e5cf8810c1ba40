import { afterAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { createLogger } from '../../src/logger.js'
import { onboard, zoeBurst } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

// Two instances on one database with `leases.spreadBots`: the first starts alone and polls every
// bot, the second joins and is handed its share. Short leases, so that takes a second or two.
let second: App
const h = useHarness(
  { config: { leases: { heartbeatMs: 200, ttlMs: 600, spreadBots: true } }, project: { flood: { maxMessages: 1000 } } },
  async (harness) => {
    second = await startApp(createConfig(harness.config), createLogger('silent'), { migrate: false })
  },
)
afterAll(() => second?.stop())

describe('bots spread over two instances', () => {
  it('hands the joining instance its share, each bot polled by one instance and never by two at once, and relays every message once, in order', async () => {
    const { sim, world } = h
    const botIds = Object.values(world.bots).map((bot) => bot.id)
    const polledBy = (app: App) => botIds.filter((id) => app.leases.holds(`poll:${id}`)).length
    await pollUntil(() => Promise.resolve(polledBy(h.app) + polledBy(second) === botIds.length && Math.abs(polledBy(h.app) - polledBy(second)) <= 1), {
      message: 'the bots spread over both instances',
    })
    expect(polledBy(second)).toBeGreaterThan(0)

    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    expect(await zoeBurst(h, zoe, 'spread', 0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `spread ${i}`))
    // No getUpdates of one bot ever cut another short: the hand-over let each bot's poller stop first.
    expect(sim.stats().pollConflicts).toBe(0)
  })
})
