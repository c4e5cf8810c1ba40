import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { measurePhase } from '../phase.js'
import { profileNotes, slowLog, summariseCpuProfile, summariseSlowLog, type ProfileWindow } from '../profile.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { sleep } from '../stats.js'
import { TrafficGenerator } from '../traffic.js'

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
    const fixed = await measurePhase(stage, ctx.server, traffic, { name: `fixed ${rate}/s`, messages: options.messages ?? rate * 30, rate })
    if (profileDir) await slowLog(ctx.server, join(profileDir, 'mariadb-slow.log'))
    window.startedAt = Date.now()
    const max = await measurePhase(stage, ctx.server, traffic, { name: 'max rate', messages: options.messages ?? 6000 })
    window.endedAt = Date.now()
    if (profileDir) await slowLog(ctx.server, undefined)
    result = {
      scenario: 'capacity',
      summary: { ...stageSummary(stage), 'idle DB queries/s': idle },
      phases: [fixed, max],
      notes: [
        'Rate budgets are off here (delivery.budgets: false) and the simulator enforces no limits: this scenario measures the service, not Telegram’s limits (see the limits scenario).',
        `idle DB queries/s: MariaDB Questions over ${IDLE_SAMPLE_MS / 1000} s with every customer onboarded, onboarding's sends finished and no traffic, at the default delivery.pollIntervalMs (one look for due outbox rows per interval, lock checks, redrives).`,
        'Targets: ≥ 300 relayed msg/s (max rate phase, 2 cores shared with the simulator and MariaDB); relay p99 < 150 ms at 100 msg/s offered.',
        'relay = client message created → copy created in a topic, per copy; all-copies = until the last copy of a message.',
      ],
    }
  } finally {
    await stage.close()
    if (profileDir && result) attachProfile(result, profileDir, window, stage.service.exitedAt)
  }
  return result
}

/** The max-rate phase's profile (`--profile`), in its detail and as notes; the raw files stay in `profileDir`. */
function attachProfile(result: ScenarioResult, profileDir: string, window: ProfileWindow, exitedAt: number | undefined): void {
  const cpu = exitedAt === undefined ? undefined : summariseCpuProfile(profileDir, window, exitedAt)
  const statements = summariseSlowLog(join(profileDir, 'mariadb-slow.log'))
  const phase = result.phases.at(-1)!
  phase.detail.profile = { dir: profileDir, cpu, statements }
  result.notes.push(...profileNotes(phase.name, cpu, statements))
}
