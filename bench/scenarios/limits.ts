import type { RateLimitOptions } from '../../src/simulator/index.js'
import type { BenchOptions } from '../options.js'
import type { PhaseResult } from '../phase.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { sleep } from '../stats.js'
import { TrafficGenerator } from '../traffic.js'
import { witness } from '../witness.js'

const LIMITS: Required<RateLimitOptions> = { privatePerSecond: 1, privateBurst: 3, groupPerMinute: 20, globalPerSecond: 30 }
/** Enough customers to spread traffic; the ceiling, not the customer count, decides the outcome. */
const MAX_CUSTOMERS = 60
/** Offered client messages per second: above the 3-bot pool's CS ceiling (60/min = 1/s), so both runs saturate. */
const OFFERED_PER_SECOND = 1.5

/**
 * Telegram's limits on (20 messages per minute per bot per group): the achieved send rate into
 * the CS group against that ceiling and the 429s, with one CS bot and with a pool of three.
 * Customers are onboarded without limits; then the simulator's limits are switched on and the
 * service restarts with matching send budgets (its planner).
 */
export async function runLimits(ctx: ScenarioContext): Promise<ScenarioResult> {
  const phases: PhaseResult[] = []
  let summary: Record<string, number | undefined> = {}
  for (const csBots of [1, 3]) {
    const { phase, stageFigures } = await measurePool(ctx, csBots)
    phases.push(phase)
    summary = { ...summary, ...Object.fromEntries(Object.entries(stageFigures).map(([k, v]) => [`${k} [${csBots} CS]`, v])) }
  }
  return {
    scenario: 'limits',
    summary,
    phases,
    notes: [
      `Simulator limits ${JSON.stringify(LIMITS)} switched on after onboarding (onboarding ${MAX_CUSTOMERS} customers under 20/min per group would take an hour); the service restarts with budgets = the same limits.`,
      `Offered ${OFFERED_PER_SECOND} client msg/s for ${ctx.options.limitsSeconds} s; "CS copies/min" counts copies created in the CS group within that window (ceiling 20/min per CS bot).`,
      '"backlog" = copies not yet delivered when the window closed (not lost: the queue keeps them); the run does not wait for it to drain.',
    ],
  }
}

async function measurePool(ctx: ScenarioContext, csBots: number): Promise<{ phase: PhaseResult; stageFigures: Record<string, number | undefined> }> {
  const { options } = ctx
  const stage = await Stage.open(ctx.server, {
    label: `limits-${csBots}cs`,
    customers: Math.min(options.customers, MAX_CUSTOMERS),
    csBots,
    service: { workersPerClass: 2, budgets: false },
    logPath: ctx.logPath(`limits-${csBots}cs`),
  })
  try {
    stage.sim.setRateLimits(LIMITS)
    await stage.restartService({ workersPerClass: 2, budgets: LIMITS })
    const phase = await measureWindow(stage, options, csBots)
    return { phase, stageFigures: stageSummary(stage) }
  } finally {
    await stage.close()
  }
}

async function measureWindow(stage: Stage, options: BenchOptions, csBots: number): Promise<PhaseResult> {
  const { sim, world } = stage
  const windowMs = options.limitsSeconds * 1000
  const from = sim.stats().sent
  const before = sim.stats()
  const traffic = new TrafficGenerator(sim, world.bots.client.id, stage.onboarded)
  const startedAt = Date.now()
  const sending = traffic.offer(options.messages ?? Math.round(OFFERED_PER_SECOND * options.limitsSeconds), OFFERED_PER_SECOND)
  await sleep(windowMs / 2)
  const halfway = sim.stats()
  const [sent] = await Promise.all([sending, sleep(windowMs / 2)])
  const end = sim.stats()
  const inWindow = stage.deliveriesSince(from).filter((d) => d.at <= startedAt + windowMs)
  const report = witness(inWindow, sent)
  const perMinute = (chatIds: number[]) => (inWindow.filter((d) => chatIds.includes(d.chatId) && d.text?.includes('[b')).length / windowMs) * 60_000
  const csPerBot = Object.fromEntries(world.bots.cs.map((b) => [b.id, inWindow.filter((d) => d.chatId === world.groups.cs.id && d.botId === b.id).length]))
  return {
    name: `${csBots} CS bot${csBots > 1 ? 's' : ''}`,
    metrics: {
      'offered msg/s': OFFERED_PER_SECOND,
      messages: sent.length,
      'CS copies/min': perMinute([world.groups.cs.id]),
      // A sliding 60 s window allows at most the ceiling in any minute: this is the utilisation.
      'CS copies in last 60 s':
        windowMs >= 60_000 ? inWindow.filter((d) => d.chatId === world.groups.cs.id && d.at > startedAt + windowMs - 60_000 && d.text?.includes('[b')).length : undefined,
      'CS ceiling/min': LIMITS.groupPerMinute * csBots,
      'CR copies/min (2 groups)': perMinute([world.groups.north.id, world.groups.south.id]),
      'CR ceiling/min': LIMITS.groupPerMinute * 2,
      '429 answers': end.rateLimited - before.rateLimited,
      '429 in 2nd half': end.rateLimited - halfway.rateLimited,
      'delivered copies': report.deliveredCopies,
      backlog: report.lost,
      duplicated: report.duplicated,
      'out of order': report.outOfOrder,
      'relay p50 ms': report.copyLatencyMs.p50,
    },
    detail: { windowMs, csCopiesPerBot: csPerBot, witness: report, simulatorCalls: end.calls },
  }
}
