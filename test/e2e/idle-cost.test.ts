import { describe, expect, it } from 'vitest'
import { pollUntil } from '../support/poll.js'
import { createQueryRecorder } from '../support/query-recorder.js'
import { useHarness } from '../support/suite.js'

/**
 * What a service polling many bots costs the database at rest: its lease heartbeat is one
 * statement however many bots it holds, and nothing is asked per bot (issue 20: 400 bots once
 * cost a lock check and a redrive per bot every 5 s).
 */
const EXTRA_BOTS = 32
const HEARTBEAT_MS = 200
const recorder = createQueryRecorder()
// The background jobs run once a year here, so the statements counted are the service's idle ones.
const yearly = '0 0 1 1 *'
const h = useHarness({
  queryLogger: recorder,
  prepare: (sim, world) => {
    const extra = Array.from({ length: EXTRA_BOTS }, (_, n) => sim.createBot({ token: `7013${n}:cs-pool-${n}`, username: `acme_cs_pool${n}_bot` }))
    Object.assign(world.project.bots, { cs: [world.bots.cs.token, ...extra.map((b) => b.token)] })
  },
  config: {
    // Frequent heartbeats, so a few pass quickly; a long TTL, so a loaded machine does not lose a lease meanwhile.
    leases: { heartbeatMs: HEARTBEAT_MS, ttlMs: 10_000 },
    cron: { queue: yearly, unansweredReminders: yearly, reassignments: yearly, riskPrompts: yearly, broadcasts: yearly, recordsSync: yearly },
  },
})

/** The outbox workers' look for due rows: once per poll interval, whatever the number of bots. */
const isDueCheck = (statement: string) => /AS class, TIMESTAMPDIFF\(MICROSECOND/.test(statement)
/** The instance's look for updates left unhandled of all the bots it polls (every 5 s). */
const isRedriveScan = (statement: string) => /^select `bot_id`, `update_id`, `payload` from `updates`/.test(statement)
const isLease = (statement: string) => /\bleases\b/.test(statement)

describe('a service polling many bots, at rest', () => {
  it('renews its leases in one statement a heartbeat and asks nothing per bot', async () => {
    const bots = h.app.projects[0]!.bots
    const total = Object.values(bots).reduce((n, pool) => n + (pool?.length ?? 0), 0)
    expect(total).toBeGreaterThan(EXTRA_BOTS)
    const polling = async () => [...(await h.app.metrics.text()).matchAll(/^topicdesk_bot_polling\{bot="\d+"\} 1$/gm)].length
    await pollUntil(async () => (await polling()) === total, { message: 'every bot polled here' })
    expect(await h.app.metrics.text()).toMatch(/^topicdesk_cron_leader 1$/m)

    recorder.statements.length = 0
    const started = Date.now()
    await pollUntil(() => Promise.resolve(recorder.statements.filter(isLease).length >= 5), { message: 'five heartbeats' })
    const statements = [...recorder.statements]
    const beats = Math.ceil((Date.now() - started) / HEARTBEAT_MS) + 1
    // One renewal per heartbeat (every lease is held: nothing to take).
    expect(statements.filter(isLease).length).toBeLessThanOrEqual(beats)
    // Besides them, only the instance-wide looks: none per bot.
    expect(statements.filter((s) => !isLease(s) && !isDueCheck(s) && !isRedriveScan(s))).toEqual([])
    expect(statements.filter(isRedriveScan).length).toBeLessThanOrEqual(1)
  })
})
