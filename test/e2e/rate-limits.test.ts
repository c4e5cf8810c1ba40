import { count, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { messages } from '../../src/db/schema/index.js'
import { createLogger } from '../../src/logger.js'
import { outboxIdle, pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * Telegram's group budget (scaled down to 8 a minute so a test sees it) with the simulator's
 * limits on: the service must never meet a 429, whether two processes send into the same group
 * or a process restarts in the middle of a burst (both must know what was sent in the last minute).
 */
const limits = { groupPerMinute: 8, privatePerSecond: 20, privateBurst: 20, globalPerSecond: 30 }
const { h, zoe } = useOnboardedZoe(
  {
    project: { flood: { maxMessages: 1000 } },
    config: { delivery: { workersPerClass: 2, pollIntervalMs: 50, albumWindowMs: 300, maxAttempts: 5, budgets: limits } },
  },
  async (harness) => {
    harness.sim.setRateLimits(limits)
    await outboxIdle(harness.database.db)
  },
)

/**
 * A fresh minute for the simulator and the service: the processes stop, what waits is dropped,
 * the records of the last minute's sends are cleared, and `processes` start again.
 */
async function freshMinute(processes: number, first = start): Promise<App[]> {
  await h.app.stop()
  h.sim.setRateLimits(false)
  await h.database.db.execute(`DELETE FROM outbox WHERE state IN ('pending', 'sent')`)
  await h.database.db.execute('DELETE FROM rate_windows').catch(() => undefined)
  h.sim.setRateLimits(limits)
  const started = [await first()]
  h.app = started[0]!
  while (started.length < processes) started.push(await start())
  return started
}

const start = () => startApp(createConfig(h.config), createLogger('silent'), { migrate: false })

const copiesInCs = (prefix: string) =>
  h.sim
    .chatMessages(h.world.groups.cs.id, { threadId: zoe.cs })
    .map((m) => m.text ?? '')
    .filter((t) => t.startsWith(prefix))

/** Zoe writes `n` messages; waits until every update is handled and no outbox row is due or in flight. */
async function burst(prefix: string, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text: `${prefix} ${i}` })
  await pollUntil(async () => {
    const [row] = await h.database.db
      .select({ n: count() })
      .from(messages)
      .where(like(messages.text, `${prefix} %`))
    return row?.n === n
  })
  await outboxIdle(h.database.db)
}

async function restart(): Promise<void> {
  await h.app.stop()
  h.app = await start()
}

describe('rate budgets under Telegram limits', () => {
  it('a restart in the middle of a burst meets no 429: the new process knows the last minute', async () => {
    await freshMinute(1)
    const rateLimited = h.sim.stats().rateLimited
    await burst('before', 5)
    expect(copiesInCs('before')).toHaveLength(5)
    await restart()
    await burst('after', 6)
    expect(h.sim.stats().rateLimited - rateLimited).toBe(0)
    // The group's budget is spent: the rest waits for the window, in order, not failed.
    expect(copiesInCs('after').length).toBeLessThanOrEqual(3)
    expect(copiesInCs('after')).toEqual(Array.from({ length: copiesInCs('after').length }, (_, i) => `after ${i}`))
  })

  it('a process with budgets off, then one with budgets on: the new one counts what the outbox sent in the last minute', async () => {
    await freshMinute(1, () => startApp(createConfig({ ...h.config, delivery: { ...h.config.delivery, budgets: false } }), createLogger('silent'), { migrate: false }))
    const rateLimited = h.sim.stats().rateLimited
    await burst('unplanned', 6)
    await restart()
    await burst('planned', 6)
    expect(h.sim.stats().rateLimited - rateLimited).toBe(0)
    expect(copiesInCs('planned').length).toBeLessThanOrEqual(2)
  })

  it('two service processes sending into one group share its budget and meet no 429', async () => {
    const [, second] = await freshMinute(2)
    const rateLimited = h.sim.stats().rateLimited
    try {
      await burst('multi', 14)
      expect(h.sim.stats().rateLimited - rateLimited).toBe(0)
      const sent = copiesInCs('multi')
      expect(sent.length).toBeLessThanOrEqual(limits.groupPerMinute)
      expect(sent).toEqual(Array.from({ length: sent.length }, (_, i) => `multi ${i}`))
    } finally {
      await second!.stop()
    }
  })
})
