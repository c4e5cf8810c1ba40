import { Prng } from '../../src/simulator/prng.js'
import type { BenchServer } from '../bench-database.js'
import { measurePhase, type PhaseResult } from '../phase.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { seedScaleCustomers } from '../scale-seed.js'
import { addScaleCustomers, createScaleWorld, type ScaleWorld } from '../scale-world.js'
import { Stage } from '../stage.js'
import { TrafficGenerator, type TrafficTarget } from '../traffic.js'

const TEAMS_PER_PROJECT = 3
const DEFAULT_RATE = 50
const DEFAULT_SECONDS = 60
const WARM_UP_SECONDS = 10
/** The records sync reads every account of every project at each run: once a year here, so a measured minute does not depend on where the quarter hour falls. */
const RECORDS_SYNC_OFF = '0 0 1 1 *'
/** MariaDB's counters of full scans: rows read by them, and scans started. */
const SCAN_COUNTERS = ['Handler_read_rnd_next', 'Select_scan'] as const

/**
 * Cost against the number of customers: `projects` projects × 3 CR teams in one service process,
 * customers seeded straight into the database (and their topics into the simulator), then the
 * same offered rate spread over all customers at the small size and again at the large size
 * (e.g. 1k and 30k): relay latency, DB queries and full-scan rows per copy should stay flat,
 * and the service's peak RSS at the large size stay ≤ 300 MB.
 */
export async function runScale(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options } = ctx
  const rate = options.rate ?? DEFAULT_RATE
  const messages = options.messages ?? rate * DEFAULT_SECONDS
  const teams = options.projects * TEAMS_PER_PROJECT
  const smallPerTeam = Math.max(1, Math.min(options.customersPerTeam, Math.round(options.smallCustomers / teams)))
  const stage = await Stage.launch(
    ctx.server,
    { label: 'scale', service: { workersPerClass: options.workers, budgets: false, recordsSync: RECORDS_SYNC_OFF }, logPath: ctx.logPath('scale') },
    (sim) => createScaleWorld(sim, { projects: options.projects, teamsPerProject: TEAMS_PER_PROJECT }),
  )
  try {
    const traffic = new TrafficGenerator(stage.sim, 0, [])
    const targets: TrafficTarget[] = []
    const phases: PhaseResult[] = []
    for (const [round, perTeam] of [smallPerTeam, options.customersPerTeam - smallPerTeam].entries()) {
      if (perTeam === 0) continue
      const seedStarted = Date.now()
      targets.push(...(await seedScaleCustomers(stage.sim, stage.world, stage.database, addScaleCustomers(stage.sim, stage.world, perTeam))))
      const seedMs = Date.now() - seedStarted
      traffic.retarget(shuffled(targets, round + 1))
      if (round === 0) await warmUp(stage, traffic, rate)
      phases.push(await measureAtSize(stage, ctx.server, traffic, { rate, messages, seedMs }))
    }
    const small = phases[0]
    const large = phases.at(-1)
    const peakMb = Math.max(stage.service.peak.serviceHwmKb, stage.service.peak.serviceRssKb) / 1024
    return {
      scenario: 'scale',
      summary: { ...stageSummary(stage), customers: stage.world.customers.length, projects: options.projects, 'CR teams': teams },
      phases,
      figures: {
        rssPeakMb: peakMb,
        ...sizeFigures('Small', small),
        ...sizeFigures('Large', large),
        relayP50Growth: growth(small, large, 'relay p50 ms'),
        relayP99Growth: growth(small, large, 'relay p99 ms'),
        queriesPerCopyGrowth: growth(small, large, 'DB queries / copy'),
      },
      notes: [
        `${options.projects} projects × ${TEAMS_PER_PROJECT} CR teams in one service process; customers seeded with multi-row INSERTs (account, active customer with an owner, decided assignment, open CS and CR topics) and their topics given to the simulator directly: none went through onboarding.`,
        `Each size: ${messages} client messages at ${rate} msg/s, round-robin over all seeded customers in a shuffled order (every project and team); ${WARM_UP_SECONDS} s of unmeasured traffic first.`,
        'Rate budgets are off (delivery.budgets: false) and the simulator enforces no limits, as in capacity. cron.recordsSync runs once a year here.',
        'Flat means: relay p50/p99, DB queries / copy and full-scan rows / copy (MariaDB Handler_read_rnd_next, whole server, bench reads included) about the same at both sizes; target: peak RSS of the service (node, VmHWM) ≤ 300 MB at the large size.',
      ],
    }
  } finally {
    await stage.close()
  }
}

/** One measured phase at the current number of customers, with full-scan counts and the RSS peak so far. */
async function measureAtSize(
  stage: Stage<ScaleWorld>,
  server: BenchServer,
  traffic: TrafficGenerator,
  o: { rate: number; messages: number; seedMs: number },
): Promise<PhaseResult> {
  const customers = stage.world.customers.length
  const before = await scanCounters(server)
  stage.service.startWindow()
  const phase = await measurePhase(stage, server, traffic, { name: `${customers} customers`, messages: o.messages, rate: o.rate })
  const after = await scanCounters(server)
  const copies = Math.max(1, phase.metrics['delivered copies'] ?? 0)
  const peak = stage.service.peak
  phase.metrics = {
    customers,
    'seeding s': o.seedMs / 1000,
    ...phase.metrics,
    'full-scan rows / copy': (after.Handler_read_rnd_next - before.Handler_read_rnd_next) / copies,
    'full scans / copy': (after.Select_scan - before.Select_scan) / copies,
    'peak VmRSS MB in phase (node)': stage.service.windowPeakRssKb / 1024,
    'peak RSS MB so far (node)': Math.max(peak.serviceRssKb, peak.serviceHwmKb) / 1024,
  }
  return phase
}

/** Unmeasured traffic so the first size does not pay for the JIT and cold caches the second one does not. */
async function warmUp(stage: Stage<ScaleWorld>, traffic: TrafficGenerator, rate: number): Promise<void> {
  const from = stage.sim.stats().sent
  const sent = await traffic.offer(rate * WARM_UP_SECONDS, rate)
  await stage.settle(sent, from, { quietMs: 15_000, timeoutMs: 120_000 })
}

async function scanCounters(server: BenchServer): Promise<Record<(typeof SCAN_COUNTERS)[number], number>> {
  const rows = (await server.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${SCAN_COUNTERS.map(() => '?').join(', ')})`, [...SCAN_COUNTERS])) as Array<{
    Variable_name: string
    Value: string
  }>
  const value = (name: string) => Number(rows.find((r) => r.Variable_name === name)?.Value ?? NaN)
  return { Handler_read_rnd_next: value('Handler_read_rnd_next'), Select_scan: value('Select_scan') }
}

/** Per-size figures under stable keys: customers<Size>, relayP50Ms<Size>, relayP99Ms<Size>, queriesPerCopy<Size>, scanRowsPerCopy<Size>, rssPhasePeakMb<Size>. */
function sizeFigures(size: 'Small' | 'Large', phase: PhaseResult | undefined): Record<string, number | undefined> {
  const m = phase?.metrics ?? {}
  return {
    [`customers${size}`]: m.customers,
    [`relayP50Ms${size}`]: m['relay p50 ms'],
    [`relayP99Ms${size}`]: m['relay p99 ms'],
    [`queriesPerCopy${size}`]: m['DB queries / copy'],
    [`scanRowsPerCopy${size}`]: m['full-scan rows / copy'],
    [`rssPhasePeakMb${size}`]: m['peak VmRSS MB in phase (node)'],
  }
}

/** large ÷ small of one figure (1 = flat). */
function growth(small: PhaseResult | undefined, large: PhaseResult | undefined, key: string): number | undefined {
  const a = small?.metrics[key]
  const b = large?.metrics[key]
  return a && b !== undefined && small !== large ? b / a : undefined
}

/** A seeded shuffle: traffic reaches every project and team, not the first customers only. */
function shuffled<T>(items: T[], seed: number): T[] {
  const prng = new Prng(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.int(0, i)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
