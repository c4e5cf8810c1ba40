import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchServer } from '../bench-database.js'
import { sampleCpu } from '../cpu-time.js'
import { measurePhase, type MeasureOptions, type PhaseResult } from '../phase.js'
import { profileNotes, slowLog, summariseCpuProfile, summariseSlowLog, type ProfileWindow } from '../profile.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { sleep } from '../stats.js'
import { TrafficGenerator } from '../traffic.js'

/** MariaDB's counters read around each phase: rows read by full scans, scans started, row lock waits (count, ms), deadlocks. */
const COST_COUNTERS = ['Handler_read_rnd_next', 'Select_scan', 'Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_deadlocks'] as const
type CostCounters = Record<(typeof COST_COUNTERS)[number], number>

async function costCounters(server: BenchServer): Promise<CostCounters> {
  const rows = (await server.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${COST_COUNTERS.map(() => '?').join(', ')})`, [...COST_COUNTERS])) as Array<{
    Variable_name: string
    Value: string
  }>
  return Object.fromEntries(COST_COUNTERS.map((name) => [name, Number(rows.find((r) => r.Variable_name === name)?.Value ?? NaN)])) as CostCounters
}

const IDLE_SAMPLE_MS = 5000
const DEFAULT_RATE = 100

/**
 * Waits until the service has nothing left to do: onboarding's last cards and edits are still
 * going out when the last topic appears, and counting them measured the onboarding's tail (45 of
 * 76 statements in one 5 s "idle" window), not an idle service.
 */
async function untilIdle(stage: Stage): Promise<void> {
  const settleBy = Date.now() + 60_000
  while ((await stage.database.workLeft()) > 0) {
    if (Date.now() > settleBy) throw new Error('the service still had work left 60 s after onboarding; no idle sample')
    await sleep(100)
  }
  // The worker that recorded the last row looks for the next one once more.
  await sleep(500)
}

/** MariaDB Questions per second over `ms` (the closing SHOW STATUS not counted). */
async function idleQueriesPerSecond(ctx: ScenarioContext, ms: number): Promise<number> {
  const before = await ctx.server.questions()
  await sleep(ms)
  return (((await ctx.server.questions()) - before - 1) / ms) * 1000
}

/**
 * No Telegram limits: a fixed offered rate (latency target: relay p99 < 150 ms at 100 msg/s),
 * then as fast as the simulator accepts (throughput target: ≥ 300 relayed messages/s).
 */
export async function runCapacity(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options } = ctx
  const rate = options.rate ?? DEFAULT_RATE
  const profileDir = options.profile ? ctx.logPath('capacity').replace(/\.service\.log$/, '.profile') : undefined
  if (profileDir) mkdirSync(profileDir, { recursive: true })
  const stage = await Stage.open(ctx.server, {
    label: 'capacity',
    customers: options.customers,
    seeded: options.seeded,
    csBots: 1,
    service: { workersPerClass: options.workers, budgets: false },
    logPath: ctx.logPath('capacity'),
    cpuProfileDir: profileDir,
  })
  let result: ScenarioResult | undefined
  const window: ProfileWindow = { startedAt: 0, endedAt: 0 }
  try {
    const traffic = new TrafficGenerator(stage.sim, stage.world.bots.client.id, stage.onboarded)
    // With --profile, the idle window and the fixed phase get their own statement logs too.
    await untilIdle(stage)
    if (profileDir) await slowLog(ctx.server, join(profileDir, 'mariadb-idle.log'))
    const idle = await idleQueriesPerSecond(ctx, IDLE_SAMPLE_MS)
    if (profileDir) await slowLog(ctx.server, join(profileDir, 'mariadb-fixed.log'))
    const fixed = await measureWithCosts(stage, ctx.server, traffic, { name: `fixed ${rate}/s`, messages: options.messages ?? rate * 30, rate })
    if (profileDir) await slowLog(ctx.server, join(profileDir, 'mariadb-slow.log'))
    window.startedAt = Date.now()
    const max = await measureWithCosts(stage, ctx.server, traffic, { name: 'max rate', messages: options.messages ?? 6000 })
    window.endedAt = Date.now()
    if (profileDir) await slowLog(ctx.server, undefined)
    result = {
      scenario: 'capacity',
      summary: { ...stageSummary(stage), seeded: options.seeded ? 1 : 0, 'idle DB queries/s': idle },
      phases: [fixed, max],
      figures: {
        customers: stage.onboarded.length,
        scanRowsPerCopy: max.metrics['full-scan rows / copy'],
        rowLockWaitsPer1000Fixed: fixed.metrics['row lock waits / 1000 msgs'],
        rowLockWaitsPer1000Max: max.metrics['row lock waits / 1000 msgs'],
        queriesPerCopyFixed: fixed.metrics['DB queries / copy'],
        queriesPerCopyMax: max.metrics['DB queries / copy'],
        cpuSPer1000Service: max.metrics['CPU s / 1000 msgs service'],
        cpuSPer1000Mariadb: max.metrics['CPU s / 1000 msgs mariadbd'],
        cpuSPer1000Simulator: max.metrics['CPU s / 1000 msgs simulator+driver'],
      },
      notes: [
        'Rate budgets are off here (delivery.budgets: false) and the simulator enforces no limits: this scenario measures the service, not Telegram’s limits (see the limits scenario).',
        `idle DB queries/s: MariaDB Questions over ${IDLE_SAMPLE_MS / 1000} s with every customer onboarded, onboarding's sends finished and no traffic, at the default delivery.pollIntervalMs (one look for due outbox rows per interval, lock checks, redrives).`,
        'Targets: ≥ 300 relayed msg/s (max rate phase, 2 cores shared with the simulator and MariaDB); relay p99 < 150 ms at 100 msg/s offered.',
        'relay = client message created → copy created in a topic, per copy; all-copies = until the last copy of a message.',
        'full-scan rows / copy: MariaDB Handler_read_rnd_next over the phase (whole server, the bench’s own reads included); CPU s / 1000 messages: CPU seconds of each process over the phase (traffic and settling) per 1,000 client messages offered.',
        ...(options.seeded
          ? [
              'Customers seeded (--seeded: account, active customer, assignment, open CS and CR topics inserted directly; their topics given to the simulator), not onboarded; traffic goes round-robin over them in order, so with more customers than messages each message is its customer’s first.',
            ]
          : []),
      ],
    }
  } finally {
    await stage.close()
    if (profileDir && result) attachProfile(result, profileDir, window, stage.service.exitedAt)
  }
  return result
}

/**
 * A measured phase plus what each message cost: full-scan rows per copy (MariaDB's
 * Handler_read_rnd_next, as the scale scenario reports it), InnoDB row lock waits (whole server)
 * and CPU seconds per 1,000 messages of
 * the service, mariadbd and the bench's own process (the simulator and the traffic driver).
 */
async function measureWithCosts(stage: Stage, server: BenchServer, traffic: TrafficGenerator, o: MeasureOptions): Promise<PhaseResult> {
  const before = await costCounters(server)
  const cpuBefore = sampleCpu(stage.service.pid)
  const phase = await measurePhase(stage, server, traffic, o)
  const cpuAfter = sampleCpu(stage.service.pid)
  const after = await costCounters(server)
  const copies = Math.max(1, phase.metrics['delivered copies'] ?? 0)
  const perThousand = (before: number, after: number) => ((after - before) / Math.max(1, o.messages)) * 1000
  phase.metrics = {
    ...phase.metrics,
    'full-scan rows / copy': (after.Handler_read_rnd_next - before.Handler_read_rnd_next) / copies,
    'full scans / copy': (after.Select_scan - before.Select_scan) / copies,
    'row lock waits / 1000 msgs': perThousand(before.Innodb_row_lock_waits, after.Innodb_row_lock_waits),
    'row lock wait ms / msg': (after.Innodb_row_lock_time - before.Innodb_row_lock_time) / Math.max(1, o.messages),
    deadlocks: after.Innodb_deadlocks - before.Innodb_deadlocks,
    'CPU s / 1000 msgs service': perThousand(cpuBefore.service, cpuAfter.service),
    'CPU s / 1000 msgs mariadbd': perThousand(cpuBefore.mariadb, cpuAfter.mariadb),
    'CPU s / 1000 msgs simulator+driver': perThousand(cpuBefore.driver, cpuAfter.driver),
  }
  return phase
}

/** The max-rate phase's profile (`--profile`), in its detail and as notes; the raw files stay in `profileDir`. */
function attachProfile(result: ScenarioResult, profileDir: string, window: ProfileWindow, exitedAt: number | undefined): void {
  const cpu = exitedAt === undefined ? undefined : summariseCpuProfile(profileDir, window, exitedAt)
  const statements = summariseSlowLog(join(profileDir, 'mariadb-slow.log'))
  const phase = result.phases.at(-1)!
  phase.detail.profile = { dir: profileDir, cpu, statements }
  result.notes.push(...profileNotes(phase.name, cpu, statements))
}
