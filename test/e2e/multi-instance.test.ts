import { and, eq, isNotNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { outbox } from '../../src/db/schema/index.js'
import { createLogger } from '../../src/logger.js'
import { onboard, zoeBurst } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { serviceProcess } from '../support/service-process.js'
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
    expect(await zoeBurst(h, zoe, 'multi', 0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `multi ${i}`))
    expect(sim.stats().calls.getUpdates).toBeGreaterThan(0)
    // Each bot is polled by one instance: the one holding its lease.
    const botIds = Object.values(world.bots).map((bot) => bot.id)
    const pollers = (botId: number) => [h.app, second].filter((app) => app.leases.holds(`poll:${botId}`)).length
    expect(botIds.map(pollers)).toEqual(botIds.map(() => 1))

    // Stop the first instance: the second one takes its leases at its next heartbeat and carries on.
    await h.app.stop()
    h.app = second
    expect(await zoeBurst(h, zoe, 'multi', 20, 30)).toEqual(Array.from({ length: 30 }, (_, i) => `multi ${i}`))
  })

  it('sends the copies a killed instance had in flight once its lease runs out, not after their outbox lease', async () => {
    const { sim, world } = h
    const yuri = await onboard(h, world.people.yuri, 'yuri@example.com', 'south')
    const copies = () =>
      sim
        .chatMessages(world.groups.cs.id, { threadId: yuri.cs })
        .map((m) => m.text ?? '')
        .filter((t) => t.startsWith('in flight'))
    // Only the killed instance sends: the survivor (polling every bot) has its workers stopped until the kill.
    await h.app.workers.stop()
    // At info, so its start is seen.
    const killed = serviceProcess({ ...h.config, log: { ...h.config.log, level: 'info' } })
    await killed.start()
    const { leaseSeconds } = h.config.delivery
    const { heartbeatMs, ttlMs } = h.config.leases
    // The copy's send hangs in Telegram, its outbox row claimed by the instance about to die.
    sim.setLatency({ methods: { sendMessage: 60_000, copyMessage: 60_000 } })
    try {
      sim.sendPrivate(world.people.yuri.id, world.bots.client.id, { text: 'in flight 1' })
      const claimedElsewhere = and(eq(outbox.state, 'sending'), isNotNull(outbox.claimedBy))
      const claimed = () => h.database.db.select().from(outbox).where(claimedElsewhere)
      await pollUntil(async () => (await claimed()).length > 0, { message: 'the copy claimed by the instance to kill' })
      expect((await claimed())[0]!.claimedBy).not.toBe(h.app.leases.instanceId)
      await killed.kill()
      const killedAt = Date.now()
      sim.setLatency(false)
      h.app.workers.start()
      await sim.waitFor(() => copies().length >= 1, { timeoutMs: leaseSeconds * 1000 })
      const waited = Date.now() - killedAt
      // Its lease runs out within a TTL, the survivor's next heartbeat releases the claim (slack for a loaded machine).
      expect(waited).toBeLessThan(ttlMs + heartbeatMs + 10_000)
      expect(waited).toBeLessThan(leaseSeconds * 1000)
    } finally {
      sim.setLatency(false)
      await killed.kill()
      h.app.workers.start()
    }
  })
})
