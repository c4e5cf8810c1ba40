import { describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { createLogger } from '../../src/logger.js'
import { onboard } from '../support/flows.js'
import { serviceSettled } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

let second: App
// Scripted bursts from one client: well past the flood limit, which is not what this tests.
// After the take-over, h.app is the second instance: stopping the harness stops it.
const h = useHarness({ project: { flood: { maxMessages: 1000 } } }, async (harness) => {
  // A second service process on the same database and bots (in-process, with its own pools and locks).
  second = await startApp(createConfig(harness.config), createLogger('silent'), { migrate: false })
})

describe('two instances on one database', () => {
  it('relays every message exactly once, and the survivor takes over polling when one stops', async () => {
    const { sim, world } = h
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    const copies = () =>
      sim
        .chatMessages(world.groups.cs.id, { threadId: zoe.cs })
        .map((m) => m.text ?? '')
        .filter((t) => t.startsWith('multi '))
    for (let i = 0; i < 20; i++) sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: `multi ${i}` })
    await sim.waitFor(() => copies().length >= 20)
    await serviceSettled(h.database.db)
    expect(copies()).toEqual(Array.from({ length: 20 }, (_, i) => `multi ${i}`))
    expect(sim.stats().calls.getUpdates).toBeGreaterThan(0)
    // Each bot is polled by one instance: the one holding its lease.
    const botIds = Object.values(world.bots).map((bot) => bot.id)
    const pollers = (botId: number) => [h.app, second].filter((app) => app.leases.holds(`poll:${botId}`)).length
    expect(botIds.map(pollers)).toEqual(botIds.map(() => 1))

    // Stop the first instance: the second one takes its leases at its next heartbeat and carries on.
    await h.app.stop()
    h.app = second
    for (let i = 20; i < 30; i++) sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: `multi ${i}` })
    await sim.waitFor(() => copies().length >= 30)
    await serviceSettled(h.database.db)
    expect(copies()).toEqual(Array.from({ length: 30 }, (_, i) => `multi ${i}`))
  })
})
