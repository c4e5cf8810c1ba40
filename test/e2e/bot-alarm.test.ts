import { like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { outbox } from '../../src/db/schema/index.js'
import type { SimBot } from '../../src/simulator/index.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * The alarm for a bot that cannot receive updates goes out through a bot of the project that
 * still works (here the second bot of the CS pool); when none does, only the log and the metric say it.
 */
let cs2: SimBot
const { h } = useOnboardedZoe({
  prepare: (sim, world) => {
    cs2 = sim.createBot({ token: '70122:cs-pool-2', username: 'acme_cs2_bot' })
    sim.addMember(world.groups.cs.id, cs2.id)
    sim.promote(world.groups.cs.id, cs2.id, { can_manage_topics: true })
    Object.assign(world.project.bots, { cs: [world.bots.cs.token, cs2.token] })
  },
})

const failing = async (botId: number) => {
  const text = await h.app.metrics.registry.metrics()
  const line = text.split('\n').find((l) => l.startsWith('topicdesk_bot_failing{') && l.includes(`bot="${botId}"`))
  return line === undefined ? undefined : Number(line.split(' ').pop())
}
const alarms = () => h.sim.chatMessages(h.world.groups.cs.id).filter((m) => m.text?.includes('cannot receive updates'))

describe('the alarm for a failing bot', () => {
  it('is posted by a bot of the pool that still works', async () => {
    const cs = h.world.bots.cs.id
    expect([await failing(cs), await failing(cs2.id)]).toEqual([0, 0])
    h.sim.revokeToken(cs)
    await pollUntil(async () => (await failing(cs)) === 1, { message: 'the CS bot reported failing' })
    const [alarm] = await h.sim.waitFor(() => (alarms().length > 0 ? alarms() : undefined), { message: 'the alarm' })
    expect(alarm!.from.id).toBe(cs2.id)
    expect(alarm!.text).toContain(`@${h.world.bots.cs.username} (projects[0].bots.cs[0]) cannot receive updates: Telegram refused its token (401 Unauthorized)`)
    expect(await failing(cs2.id)).toBe(0)
    expect(h.app.botHealth.failing().map((b) => b.path)).toEqual(['projects[0].bots.cs[0]'])
  })

  it('is only logged and counted when no bot of the project can post it', async () => {
    h.sim.revokeToken(cs2.id)
    await pollUntil(async () => (await failing(cs2.id)) === 1, { message: 'the second CS bot reported failing' })
    await h.app.botHealth.lastAlarm
    const queued = await h.database.db.select({ id: outbox.id }).from(outbox).where(like(outbox.job, '%cannot receive updates%'))
    expect(queued).toHaveLength(1)
    expect(alarms()).toHaveLength(1)
  })
})
