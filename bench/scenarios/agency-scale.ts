import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchServer } from '../bench-database.js'
import { bySource, counterDelta, explainShapes, largestTables, logStatementsTo, statementShapes, statusCounters } from '../agency-db.js'
import { seedAgency } from '../agency-seed.js'
import { measureRestart, startupFigures, TELEGRAM_LIKE_START, telegramLikeStartup } from '../agency-startup.js'
import { StartupTap } from '../agency-tap.js'
import { AGENCY_TEAMS, createAgencyWorld, type AgencyWorld } from '../agency-world.js'
import { measurePhase, type PhaseResult } from '../phase.js'
import { memoryOf } from '../process-tree.js'
import type { ScenarioContext, ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { sleep } from '../stats.js'
import { TrafficGenerator, type TrafficTarget } from '../traffic.js'

const DEFAULT_RATE = 50
const DEFAULT_SECONDS = 60
const WARM_UP_SECONDS = 10
/** Customers traffic goes to (they alone exist in the simulator too), picked at random among all. */
const ACTIVE_CUSTOMERS = 5000
const RECORDS_SYNC_OFF = '0 0 1 1 *'

/**
 * Breadth: `--projects` projects (4 bots each: client, CS, a pool of 2 CR; 3 CR teams) in one
 * service process, `--total-customers` seeded. Per run: the first start (empty database, menus
 * set), seeding, a restart (menus unchanged) timed to ready, an idle window whose statements are
 * counted and attributed, then 50 msg/s over random customers of random projects, against the
 * same traffic with 1 project; the largest tables and EXPLAIN of every statement the relay ran.
 */
export async function runAgencyScale(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, server } = ctx
  const projects = options.projectsGiven ? options.projects : options.quick ? 20 : 100
  const total = options.totalCustomers ?? (options.quick ? 20_000 : 1_000_000)
  const rate = options.rate ?? DEFAULT_RATE
  const messages = options.messages ?? rate * (options.quick ? 30 : DEFAULT_SECONDS)
  const active = Math.min(total, ACTIVE_CUSTOMERS)
  const statementsDir = ctx.logPath('agency').replace(/\.service\.log$/, '.statements')
  mkdirSync(statementsDir, { recursive: true })
  await growBufferPool(server, options.bufferPoolMb)
  const settings = { workersPerClass: options.workers, budgets: false as const, recordsSync: RECORDS_SYNC_OFF }
  try {
    // The same traffic with 1 project and only the customers it goes to: the yardstick.
    await logEveryStatement(server, join(statementsDir, 'one-project-scratch.log'))
    const one = await Stage.launch(server, { label: 'agency1', service: settings, logPath: ctx.logPath('agency-one-project') }, (sim) => createAgencyWorld(sim, { projects: 1 }))
    let onePhase: PhaseResult
    try {
      const seeded = await seedAgency(one.sim, one.world, one.database, { total: active, active, seed: 7 })
      onePhase = await relayPhase(one, server, seeded.targets, { name: '1 project', rate, messages })
    } finally {
      await one.close()
    }

    await logEveryStatement(server, join(statementsDir, 'scratch.log'))
    let tap: StartupTap | undefined
    const launchedAt = Date.now()
    const stage = await Stage.launch(server, { label: 'agency', service: settings, logPath: ctx.logPath('agency'), simulator: TELEGRAM_LIKE_START }, (sim) => {
      tap = new StartupTap(sim)
      const world = createAgencyWorld(sim, { projects })
      return world
    })
    try {
      // The launch was the first start on a fresh simulator (every menu set) and an empty database.
      const cold = await startupFigures(stage, tap!, launchedAt, stage.startupMs)
      telegramLikeStartup(stage, false)
      const seeded = await seedAgency(stage.sim, stage.world, stage.database, { total, active, seed: 11 })
      telegramLikeStartup(stage, true)
      stage.service.startWindow()
      const warm = await measureRestart(stage, tap!)
      telegramLikeStartup(stage, false)
      const idle = await idleWindow(stage, server, options.idleSeconds, join(statementsDir, 'idle.log'))
      const relayLog = join(statementsDir, 'relay.log')
      const phase = await relayPhase(stage, server, seeded.targets, { name: `${projects} projects`, rate, messages, statementLog: relayLog })
      await logStatementsTo(server, join(statementsDir, 'scratch.log'))
      const shapes = statementShapes(relayLog)
      const explained = await explainShapes(stage.database, shapes)
      const tables = await largestTables(server, stage.database)
      const peak = stage.service.peak
      const fullScans = explained.filter((e) => e.fullScan)
      phase.detail = { ...phase.detail, startup: { cold, warm }, idle, relayStatements: shapes.slice(0, 40), explain: explained, tables, seeded: { ...seeded, targets: undefined } }
      return {
        scenario: 'agency-scale',
        summary: {
          projects,
          bots: stage.world.tokens.length,
          'CR teams': projects * AGENCY_TEAMS,
          customers: seeded.customers,
          'history messages': seeded.historyMessages,
          'seeding s': seeded.seconds,
          'service crashes': stage.service.unexpectedExits.length,
        },
        phases: [phase, onePhase],
        figures: {
          startupS: warm.readyS,
          startupProfileSyncS: warm.profileSyncS,
          startupColdS: cold.readyS,
          startupColdProfileSyncS: cold.profileSyncS,
          startupSetMyCommands: warm.calls.setMyCommands ?? 0,
          startupColdSetMyCommands: cold.calls.setMyCommands ?? 0,
          startupE429: cold.e429 + warm.e429,
          startupMaxCallsPerBotPerSecond: Math.max(cold.maxCallsPerBotPerSecond, warm.maxCallsPerBotPerSecond),
          rssPeakMb: Math.max(peak.serviceRssKb, peak.serviceHwmKb) / 1024,
          rssSteadyMb: idle.rssSteadyMb,
          idleQueriesPerSecond: idle.queriesPerSecond,
          idlePollingShare: idle.pollingShare,
          relayP50Ms: phase.metrics['relay p50 ms'],
          relayP99Ms: phase.metrics['relay p99 ms'],
          relayP50MsOneProject: onePhase.metrics['relay p50 ms'],
          relayP99MsOneProject: onePhase.metrics['relay p99 ms'],
          relayP50Ratio: ratio(phase.metrics['relay p50 ms'], onePhase.metrics['relay p50 ms']),
          relayP99Ratio: ratio(phase.metrics['relay p99 ms'], onePhase.metrics['relay p99 ms']),
          queriesPerCopyOneProject: onePhase.metrics['DB queries / copy'],
          hotStatementsExplained: explained.length,
          hotStatementsFullScan: fullScans.length,
          largestTableMb: tables[0] ? tables[0].dataMb + tables[0].indexMb : undefined,
        },
        notes: [
          `${projects} projects × (client, CS, 2 CR bots; ${AGENCY_TEAMS} CR teams) = ${stage.world.tokens.length} bots polling in one service; ${total} customers seeded with multi-row INSERTs (account, active customer with an owner, decided assignment, CS and CR topics), every 10th with 10 stored messages; ${active} of them, at random, also exist in the simulator and get the traffic.`,
          `Start-up: the simulator answers start-up calls after 50 ms (Telegram's round trip) and enforces its per-bot limits; "ready" = every bot polled; the profile sync (command menus, read and set only when changed) runs in the background after that. Cold = fresh simulator (menus set), warm = restart with every customer seeded (menus unchanged).`,
          `Idle: ${options.idleSeconds} s with nothing to do, MariaDB Questions minus the bench's own status read; statements attributed by the slow log (long_query_time = 0) of the window: ${Object.entries(
            idle.bySource,
          )
            .map(([source, n]) => `${source} ${(n / options.idleSeconds).toFixed(1)}/s`)
            .join(', ')}.`,
          `Relay: ${messages} client messages at ${rate} msg/s over random customers of random projects after ${WARM_UP_SECONDS} s of warm-up; the same with 1 project and its ${active} customers. Every statement logged in both (same cost).`,
          `Largest tables: ${tables.map((t) => `${t.table} ${t.rows} rows ${(t.dataMb + t.indexMb).toFixed(0)} MB`).join(', ')}.`,
          fullScans.length === 0
            ? `EXPLAIN of the ${explained.length} statement shapes the relay phase ran: no full scan of a customer-sized table.`
            : `Full scans on the relay path: ${fullScans.map((f) => `${f.shape} (${f.plan.map((p) => `${p.table} ${p.type} ${p.rows}`).join('; ')})`).join(' | ')}`,
        ],
      }
    } finally {
      await stage.close()
    }
  } finally {
    await server.query('SET GLOBAL slow_query_log = 0, long_query_time = 10')
    rmSync(join(statementsDir, 'scratch.log'), { force: true })
    rmSync(join(statementsDir, 'one-project-scratch.log'), { force: true })
  }
}

/** Sessions take long_query_time when they connect: on before the service starts, every statement is logged. */
async function logEveryStatement(server: BenchServer, path: string): Promise<void> {
  await server.query('SET GLOBAL long_query_time = 0, slow_query_log_file = ?, slow_query_log = 1', [path])
}

/** 1M customers' indexes do not fit the default 128 MB pool; MariaDB resizes it while running. */
async function growBufferPool(server: BenchServer, mb: number): Promise<void> {
  const rows = (await server.query('SELECT @@innodb_buffer_pool_size AS size')) as Array<{ size: number }>
  if (Number(rows[0]?.size ?? 0) < mb * 1024 * 1024) await server.query(`SET GLOBAL innodb_buffer_pool_size = ${mb * 1024 * 1024}`)
}

interface IdleFigures {
  queriesPerSecond: number
  /** Share of the idle statements that are the per-bot polling lock checks and redrives (replaced by the lease work). */
  pollingShare: number
  bySource: Record<string, number>
  counters: Record<string, number>
  rssSteadyMb: number | undefined
}

/** Once the service has nothing left to do: statements over `seconds`, by MariaDB's counters and by the statement log. */
async function idleWindow(stage: Stage<AgencyWorld>, server: BenchServer, seconds: number, logPath: string): Promise<IdleFigures> {
  const settleBy = Date.now() + 120_000
  while ((await stage.database.workLeft()) > 0 && Date.now() < settleBy) await sleep(200)
  await sleep(2000)
  await logStatementsTo(server, logPath)
  const before = await statusCounters(server)
  await sleep(seconds * 1000)
  const after = await statusCounters(server)
  await logStatementsTo(server, logPath.replace(/idle\.log$/, 'scratch.log'))
  const rss = stage.service.pid === undefined ? undefined : memoryOf(stage.service.pid)
  const counters = counterDelta(before, after, 1)
  const sources = bySource(statementShapes(logPath))
  const logged = Object.values(sources).reduce((a, b) => a + b, 0)
  const polling = Object.entries(sources)
    .filter(([source]) => /per bot/.test(source))
    .reduce((a, [, n]) => a + n, 0)
  return {
    queriesPerSecond: (counters.Questions ?? 0) / seconds,
    pollingShare: logged ? polling / logged : 0,
    bySource: sources,
    counters: Object.fromEntries(Object.entries(counters).slice(0, 15)),
    rssSteadyMb: rss ? rss.rssKb / 1024 : undefined,
  }
}

/** Warm-up, then `messages` at `rate` over the targets (in their shuffled order), with full-scan counters around it. */
async function relayPhase(
  stage: Stage<AgencyWorld>,
  server: BenchServer,
  targets: TrafficTarget[],
  o: { name: string; rate: number; messages: number; statementLog?: string },
): Promise<PhaseResult> {
  const traffic = new TrafficGenerator(stage.sim, 0, targets)
  const from = stage.sim.stats().sent
  const warm = await traffic.offer(o.rate * WARM_UP_SECONDS, o.rate)
  await stage.settle(warm, from, { quietMs: 15_000, timeoutMs: 120_000 })
  if (o.statementLog) await logStatementsTo(server, o.statementLog)
  const before = await statusCounters(server)
  stage.service.startWindow()
  const phase = await measurePhase(stage, server, traffic, { name: o.name, messages: o.messages, rate: o.rate })
  const after = await statusCounters(server)
  const copies = Math.max(1, phase.metrics['delivered copies'] ?? 0)
  phase.metrics = {
    ...phase.metrics,
    'full-scan rows / copy': ((after.Handler_read_rnd_next ?? 0) - (before.Handler_read_rnd_next ?? 0)) / copies,
    'peak VmRSS MB in phase (node)': stage.service.windowPeakRssKb / 1024,
  }
  return phase
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b ? a / b : undefined
}
