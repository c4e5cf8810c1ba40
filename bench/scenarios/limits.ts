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
  // Stable keys (medians and spread over --runs): each group's and pool's share of its ceiling in the window's last 60 s.
  const pct = (phase: PhaseResult, key: string) => phase.metrics[key]
  const figures: Record<string, number | undefined> = {}
  for (const [i, csBots] of [1, 3].entries()) {
    const phase = phases[i]!
    figures[`csUsePct${csBots}cs`] = pct(phase, 'CS % of ceiling')
    figures[`crNorthUsePct${csBots}cs`] = pct(phase, 'CR north % of ceiling')
    figures[`crSouthUsePct${csBots}cs`] = pct(phase, 'CR south % of ceiling')
    figures[`csCyclePct${csBots}cs`] = pct(phase, 'CS cycle % of ceiling')
    figures[`crNorthCyclePct${csBots}cs`] = pct(phase, 'CR north cycle % of ceiling')
    figures[`crSouthCyclePct${csBots}cs`] = pct(phase, 'CR south cycle % of ceiling')
  }
  const lowest = (prefix: RegExp) => Math.min(...Object.entries(figures).flatMap(([k, v]) => (prefix.test(k) && v !== undefined ? [v] : [])))
  figures.lowestUsePct = lowest(/UsePct/)
  figures.lowestCyclePct = lowest(/CyclePct/)
  return {
    scenario: 'limits',
    summary,
    phases,
    figures,
    notes: [
      `Simulator limits ${JSON.stringify(LIMITS)} switched on after onboarding (onboarding ${MAX_CUSTOMERS} customers under 20/min per group would take an hour); the service restarts with budgets = the same limits.`,
      `Offered ${OFFERED_PER_SECOND} client msg/s for ${ctx.options.limitsSeconds} s; "CS copies/min" counts copies created in the CS group within that window (ceiling 20/min per CS bot).`,
      '"backlog" = copies not yet delivered when the window closed (not lost: the queue keeps them); the run does not wait for it to drain.',
      '"<group> sends in last 60 s": every message the group\'s pool (CS bots; the CR bot) posted into it in the last 60 s of the window, against the ceiling (20/min × bots): with a backlog throughout, a sliding window allows exactly the ceiling in any 60 s, so this is the budget used. detail.groups[].sendsS has each send\'s time.',
      '"cycle % of ceiling": 60 s ÷ the mean time between a bot\'s send i and send i + 20 into the group (never under 60 s under the limit): how much of a saturated budget was used, independent of where the window\'s edges fall. Traffic starts at once: the service\'s windows hold onboarding\'s sends of the last minute (it counts them, as Telegram would; the simulator\'s fresh limits do not), so the first slots come free together some 50 s in, a burst of waiting copies planned in the same batches, and a window of 150 s (the default) sees their next cycle.',
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

/** The groups a pool posts into, with the bots of the pool: each bot has its own budget per group. */
function groupsOf(stage: Stage): Array<{ name: string; chatId: number; bots: number[] }> {
  const { world } = stage
  const cr = world.bots.cr.map((b) => b.id)
  return [
    { name: 'CS', chatId: world.groups.cs.id, bots: world.bots.cs.map((b) => b.id) },
    { name: 'CR north', chatId: world.groups.north.id, bots: cr },
    { name: 'CR south', chatId: world.groups.south.id, bots: cr },
  ]
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
  const all = stage.deliveriesSince(from)
  const inWindow = all.filter((d) => d.at <= startedAt + windowMs)
  const report = witness(inWindow, sent)
  const perMinute = (chatIds: number[]) => (inWindow.filter((d) => chatIds.includes(d.chatId) && d.text?.includes('[b')).length / windowMs) * 60_000
  const csPerBot = Object.fromEntries(world.bots.cs.map((b) => [b.id, inWindow.filter((d) => d.chatId === world.groups.cs.id && d.botId === b.id).length]))
  // Per group: every message its pool posted in the window's last 60 s (the budget counts them all,
  // copies or not) against the ceiling, and the copies still waiting for it when the window closed.
  const lastMinuteFrom = startedAt + windowMs - 60_000
  const groups = groupsOf(stage).map((g) => {
    const into = inWindow.filter((d) => d.chatId === g.chatId && g.bots.includes(d.botId))
    const ceiling = LIMITS.groupPerMinute * g.bots.length
    const lastMinute = into.filter((d) => d.at > lastMinuteFrom).length
    const expected = sent.reduce((n, m) => n + m.destinations.filter((k) => k.startsWith(`${g.chatId}:`)).length, 0)
    const delivered = into.reduce((n, d) => n + (d.text?.match(/\[b\d+\.\d+\]/g)?.length ?? 0), 0)
    // Each bot's send i and send i + budget are at least a minute apart; the time between them
    // beyond that minute is budget a saturated group left unused (wake-ups, claims, planning).
    const periods = g.bots.flatMap((botId) => {
      const times = into.filter((d) => d.botId === botId).map((d) => d.at)
      return times.slice(LIMITS.groupPerMinute).map((at, i) => at - times[i]!)
    })
    const meanPeriod = periods.length ? periods.reduce((a, b) => a + b, 0) / periods.length : undefined
    return {
      ...g,
      ceiling,
      lastMinute,
      usePct: (lastMinute / ceiling) * 100,
      cyclePct: meanPeriod === undefined ? undefined : (60_000 / meanPeriod) * 100,
      longestPeriodS: periods.length ? Math.max(...periods) / 1000 : undefined,
      backlog: expected - delivered,
      sendsS: into.map((d) => Math.round(d.at - startedAt) / 1000),
    }
  })
  const group = (name: string) => groups.find((g) => g.name === name)!
  const lastMinuteMetrics = Object.fromEntries(
    groups.flatMap((g) => [
      [`${g.name} sends in last 60 s`, windowMs >= 60_000 ? g.lastMinute : undefined],
      [`${g.name} ceiling/min`, g.ceiling],
      [`${g.name} % of ceiling`, windowMs >= 60_000 ? g.usePct : undefined],
      [`${g.name} cycle % of ceiling`, g.cyclePct],
      [`${g.name} longest cycle s`, g.longestPeriodS],
      [`${g.name} backlog`, g.backlog],
    ]),
  )
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
      ...lastMinuteMetrics,
      'CR pool sends in last 60 s': windowMs >= 60_000 ? group('CR north').lastMinute + group('CR south').lastMinute : undefined,
      'CR pool ceiling/min': group('CR north').ceiling + group('CR south').ceiling,
      'lowest % of ceiling': windowMs >= 60_000 ? Math.min(...groups.map((g) => g.usePct)) : undefined,
      '429 answers': end.rateLimited - before.rateLimited,
      '429 in 2nd half': end.rateLimited - halfway.rateLimited,
      'delivered copies': report.deliveredCopies,
      backlog: report.lost,
      duplicated: report.duplicated,
      'out of order': report.outOfOrder,
      'relay p50 ms': report.copyLatencyMs.p50,
    },
    // Each group's send times (s from the window's start): where a slot went unused shows as a gap.
    detail: { windowMs, csCopiesPerBot: csPerBot, groups: groups.map(({ sendsS, ...g }) => ({ ...g, sendsS })), witness: report, simulatorCalls: end.calls },
  }
}
