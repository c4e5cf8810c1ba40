import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import type { Delivery } from '../../src/simulator/index.js'
import { BenchServer } from '../bench-database.js'
import type { BenchOptions } from '../options.js'
import { REPO_ROOT } from '../paths.js'
import { measurePhase } from '../phase.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { sleep } from '../stats.js'
import { TrafficGenerator } from '../traffic.js'

const run = promisify(execFile)
const OFFERED_PER_SECOND = 50
/** Moments of the traffic window (fractions of it): the writer node is killed, then started again. */
const TIMELINE = { kill: 0.3, restart: 0.6 }
const DEFAULT_CUSTOMERS = { full: 100, quick: 30 }
/** A row claimed on the killed node waits out its lease (60 s) before it is sent again. */
const OUTBOX_DRAIN_TIMEOUT_MS = 180_000
const GALERA_HOME = process.env.TOPICDESK_GALERA_HOME ?? join(REPO_ROOT, '.data', 'galera')

/**
 * A replicated database losing the node the service writes through: a three-node MariaDB Galera
 * cluster (scripts/galera-start.sh), the service with `database.urls` at node 1, 2, 3, client
 * messages at a steady rate; kill -9 of the writer node mid-traffic, the node started again later
 * (it rejoins by IST or SST). The witness counts lost, duplicated and out-of-order copies; the
 * figures add the time to resume (kill → first copy delivered after the gap) and the rejoin time.
 */
export async function runGalera(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options } = ctx
  const urls = await startCluster()
  const server = BenchServer.forCluster(urls)
  const customers = galeraCustomers(options)
  const logPath = ctx.logPath('galera')
  const stage = await Stage.open(server, {
    label: 'galera',
    customers,
    csBots: 1,
    service: { workersPerClass: options.workers, budgets: false },
    logPath,
  })
  try {
    const messages = options.messages ?? OFFERED_PER_SECOND * (options.quick ? 20 : 60)
    const windowMs = (messages / OFFERED_PER_SECOND) * 1000
    const traffic = new TrafficGenerator(stage.sim, stage.world.bots.client.id, stage.onboarded)
    let killedAt = 0
    const phase = await measurePhase(stage, server, traffic, {
      name: 'galera',
      messages,
      rate: OFFERED_PER_SECOND,
      // Each node counts its own statements, and the killed node's counters are gone.
      countQueries: false,
      quietMs: 90_000,
      timeoutMs: 300_000,
      during: async (startedAt) => {
        const at = (fraction: number) => sleep(Math.max(0, startedAt + fraction * windowMs - Date.now()))
        await at(TIMELINE.kill)
        const writer = await writerNode(urls, stage.database.name)
        const rowsSending = await stage.database.outboxSending().catch(() => -1)
        const sendsInFlight = stage.tap.sendsInFlight
        process.kill(nodePid(writer), 'SIGKILL')
        killedAt = Date.now()
        await at(TIMELINE.restart)
        const logFrom = statSync(nodeLog(writer)).size
        const restartedAt = Date.now()
        await startCluster()
        const rejoinMs = Date.now() - restartedAt
        return { kill: { node: writer, at: killedAt - startedAt, rowsSending, sendsInFlight }, rejoin: { node: writer, ms: rejoinMs, transfer: stateTransfer(writer, logFrom) } }
      },
      afterSettle: () => waitForEmptyOutbox(stage),
    })
    const kill = phase.detail.kill as { rowsSending: number; sendsInFlight: number }
    const rejoin = phase.detail.rejoin as { ms: number; transfer: string }
    const resume = resumeAfter(stage.sim.deliveries(), killedAt)
    const moves = countLines(logPath, 'database node failed; moved to the next one')
    phase.metrics['resume s'] = resume.resumeMs / 1000
    phase.metrics['longest delivery gap s'] = resume.gapMs / 1000
    phase.metrics['rows claimed at kill (outbox sending)'] = kill.rowsSending
    phase.metrics['duplicate allowance'] = Math.max(0, kill.rowsSending) + kill.sendsInFlight
    phase.metrics['pool moves (service log)'] = moves
    phase.metrics['rejoin s'] = rejoin.ms / 1000
    phase.metrics['rejoin by IST'] = rejoin.transfer.startsWith('IST') ? 1 : 0
    phase.detail.resume = resume
    phase.detail.outboxAtEnd = await stage.database.outboxStates()
    phase.detail.unexpectedExits = stage.service.unexpectedExits
    return {
      scenario: 'galera',
      summary: stageSummary(stage),
      phases: [phase],
      notes: [
        `Three MariaDB Galera nodes (scripts/galera-start.sh); the service's database.urls = node 1, 2, 3. ${OFFERED_PER_SECOND} client msg/s; kill -9 of the node the service writes through at ${TIMELINE.kill * 100}% of the window, the node started again at ${TIMELINE.restart * 100}% (rejoin: ${rejoin.transfer}).`,
        'Targets: 0 lost, 0 out of order, duplicates ≤ allowance = outbox rows claimed just before the kill + sends open in the simulator then (a commit that was unknown is retried: at-least-once).',
        'resume s: kill → the first copy delivered after the longest gap in deliveries that began after the kill; pool moves: the two pools (main, delivery) each move once when they see the node fail.',
        'DB queries are not counted: each node counts its own, and the killed node loses its counters.',
      ],
      figures: {
        lost: phase.metrics.lost,
        duplicated: phase.metrics.duplicated,
        outOfOrder: phase.metrics['out of order'],
        resumeSeconds: phase.metrics['resume s'],
        rejoinSeconds: phase.metrics['rejoin s'],
        relayP99Ms: phase.metrics['relay p99 ms'],
      },
    }
  } finally {
    await stage.close()
    // The cluster stays up for the next run; scripts/galera-stop.sh stops it.
  }
}

/** The customers onboarded: --customers when given, else the scenario's own default. */
export function galeraCustomers(options: BenchOptions): number {
  return options.customersGiven ? options.customers : options.quick ? DEFAULT_CUSTOMERS.quick : DEFAULT_CUSTOMERS.full
}

/** galera-start.sh: starts the nodes not running (idempotent) and prints their URLs. */
async function startCluster(): Promise<string[]> {
  const { stdout } = await run('bash', ['scripts/galera-start.sh'], { cwd: REPO_ROOT, env: { ...process.env, TOPICDESK_GALERA_HOME: GALERA_HOME }, maxBuffer: 1 << 20 })
  return stdout.trim().split(',')
}

/** The node (1-based, in `urls` order) holding most of the service's connections to `database`. */
async function writerNode(urls: string[], database: string): Promise<number> {
  let best = 1
  let most = -1
  for (const [i, uri] of urls.entries()) {
    const connection = await mysql.createConnection({ uri }).catch(() => undefined)
    if (!connection) continue
    try {
      const [rows] = (await connection.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ?', [database])) as unknown as [Array<{ n: number }>]
      const n = Number(rows[0]?.n ?? 0)
      if (n > most) [best, most] = [i + 1, n]
    } finally {
      await connection.end()
    }
  }
  return best
}

const nodeLog = (node: number) => join(GALERA_HOME, `node${node}`, 'error.log')
const nodePid = (node: number) => Number(readFileSync(join(GALERA_HOME, `node${node}`, 'mariadbd.pid'), 'utf8').trim())

/**
 * How the restarted node caught up, from its error log since `from` (bytes): the write sets it
 * missed (IST) or a full copy of a donor's datadir (SST). MariaDB logs "SST received" either way.
 */
function stateTransfer(node: number, from: number): string {
  const log = readFileSync(nodeLog(node)).subarray(from).toString('utf8')
  if (/rsync SST completed on joiner/.test(log)) return 'SST'
  const ist = /Receiving IST: (\d+) writesets/.exec(log)
  if (ist) return `IST (${ist[1]} write sets)`
  return /state transfer needed: no/.test(log) ? 'none needed' : 'unknown'
}

/** The longest gap between deliveries that began after `killedAt`, and when deliveries resumed after it. */
function resumeAfter(deliveries: Delivery[], killedAt: number): { gapMs: number; resumeMs: number } {
  const times = deliveries
    .map((d) => d.at)
    .filter((at) => at >= killedAt - 1000)
    .sort((a, b) => a - b)
  let gapMs = 0
  let resumedAt = killedAt
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - Math.max(times[i - 1]!, killedAt)
    if (times[i]! > killedAt && gap > gapMs) [gapMs, resumedAt] = [gap, times[i]!]
  }
  return { gapMs, resumeMs: resumedAt - killedAt }
}

function countLines(path: string, text: string): number {
  if (!existsSync(path)) return 0
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes(text)).length
}

/** Quiescence: no outbox row left pending or sending (a row claimed on the killed node waits out its lease). */
async function waitForEmptyOutbox(stage: Stage): Promise<void> {
  const deadline = Date.now() + OUTBOX_DRAIN_TIMEOUT_MS
  while (Date.now() < deadline) {
    const states = await stage.database.outboxStates().catch((): Record<string, number> => ({}))
    if (!states.pending && !states.sending) return
    await sleep(1000)
  }
}
