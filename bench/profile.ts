import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { BenchServer } from './bench-database.js'

/**
 * `--profile`: where a phase's time goes, in the service (V8's CPU profile, `node --cpu-prof`,
 * written when the service exits) and in MariaDB (its slow log with every statement). Both are
 * summarised for the phase's window only and kept next to the results.
 */

const SETUP_LOG = 'mariadb-setup-slow.log'

export interface ProfileWindow {
  startedAt: number
  endedAt: number
}

export interface StatementCost {
  statement: string
  count: number
  totalMs: number
  /** Share of the database's statement time in the window, in %. */
  share: number
  avgMs: number
  rowsExaminedPerStatement: number
}

export interface CpuShare {
  name: string
  /** Share of the service's samples in the window, in %. */
  share: number
}

export interface CpuSummary {
  samples: number
  byPackage: CpuShare[]
  topFunctions: CpuShare[]
}

/**
 * Sessions take `long_query_time` (and, it turns out, whether the slow log is on) when they
 * connect, so the log is on, into a scratch file, before the service starts; `slowLog` points it
 * at the phase's file and deletes the scratch one, and turns it off after the phase.
 */
export async function logEveryStatement(server: BenchServer, dir: string): Promise<void> {
  await server.query('SET GLOBAL long_query_time = 0, slow_query_log_file = ?, slow_query_log = 1', [join(dir, SETUP_LOG)])
}

export async function slowLog(server: BenchServer, path: string | undefined): Promise<void> {
  if (path) {
    await server.query('SET GLOBAL slow_query_log_file = ?', [path])
    rmSync(join(dirname(path), SETUP_LOG), { force: true })
  } else await server.query('SET GLOBAL slow_query_log = 0')
}

/** Statement time by statement shape (literals replaced), largest first. */
export function summariseSlowLog(path: string, top = 12): StatementCost[] {
  if (!existsSync(path)) return []
  const costs = new Map<string, { count: number; seconds: number; rows: number }>()
  let seconds = 0
  let rows = 0
  let lines: string[] = []
  const flush = () => {
    const statement = shapeOf(lines.filter((line) => !line.startsWith('SET timestamp') && !line.startsWith('use ')).join(' '))
    lines = []
    if (!statement) return
    const cost = costs.get(statement) ?? { count: 0, seconds: 0, rows: 0 }
    cost.count += 1
    cost.seconds += seconds
    cost.rows += rows
    costs.set(statement, cost)
  }
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const timing = /^# Query_time: ([\d.]+).*Rows_examined: (\d+)/.exec(line)
    if (timing) {
      flush()
      seconds = Number(timing[1])
      rows = Number(timing[2])
    } else if (!line.startsWith('#') && !/^(Time\s|Tcp port|\S+, Version)/.test(line)) lines.push(line.trim())
  }
  flush()
  const total = [...costs.values()].reduce((sum, cost) => sum + cost.seconds, 0) || 1
  return [...costs.entries()]
    .sort((a, b) => b[1].seconds - a[1].seconds)
    .slice(0, top)
    .map(([statement, cost]) => ({
      statement,
      count: cost.count,
      totalMs: Math.round(cost.seconds * 1000),
      share: round((cost.seconds / total) * 100),
      avgMs: round((cost.seconds / cost.count) * 1000, 3),
      rowsExaminedPerStatement: Math.round(cost.rows / cost.count),
    }))
}

/** A statement's shape: literals as `?`/`N`, value lists folded, whitespace collapsed, cut at `length`. */
export function shapeOf(statement: string, length = 140): string {
  return statement
    .replace(/'(?:[^'\\]|\\.)*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/\(\s*[?N](\s*,\s*[?N])*\s*\)/g, '(…)')
    .replace(/(\(…\)\s*,\s*)+\(…\)/g, '(…),…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, length)
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/**
 * The service's CPU samples within `window`, by package (node_modules name, `src/<folder>`, node
 * internals) and by function (self time). The profile's clock is mapped to wall time through its
 * end: the service wrote it as it exited, at `exitedAt`.
 */
export function summariseCpuProfile(dir: string, window: ProfileWindow, exitedAt: number, top = 12): CpuSummary | undefined {
  const file = existsSync(dir) ? readdirSync(dir).find((name) => name.endsWith('.cpuprofile')) : undefined
  if (!file) return undefined
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const byPackage = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let at = profile.startTime
  let samples = 0
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0
    const wall = exitedAt - (profile.endTime - at) / 1000
    if (wall < window.startedAt || wall > window.endedAt) return
    const frame = nodes.get(id)?.callFrame
    if (!frame) return
    samples += 1
    const name = frame.functionName || '(anonymous)'
    const special = name.startsWith('(') && frame.url === ''
    add(byPackage, special ? name : packageOf(frame.url))
    add(byFunction, special ? name : `${name} ${frame.url.split('/').at(-1)}:${frame.lineNumber + 1}`)
  })
  const shares = (counts: Map<string, number>) =>
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => ({ name, share: round((n / Math.max(1, samples)) * 100) }))
  return { samples, byPackage: shares(byPackage), topFunctions: shares(byFunction) }
}

function packageOf(url: string): string {
  if (!url) return '(native)'
  if (url.startsWith('node:')) return 'node internals'
  const modules = url.split('node_modules/')
  if (modules.length > 1) {
    const parts = modules.at(-1)!.split('/')
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
  }
  const source = /\/(?:src|dist)\/([^/]+)/.exec(url)
  return source ? `src/${source[1]}` : url.split('/').at(-1)!
}

function add(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** Short lines for the report's notes. */
export function profileNotes(phase: string, cpu: CpuSummary | undefined, statements: StatementCost[]): string[] {
  const notes: string[] = []
  if (cpu) {
    notes.push(`profile (${phase}): service CPU by package: ${cpu.byPackage.map((p) => `${p.name} ${p.share}%`).join(', ')}`)
    notes.push(`profile (${phase}): service CPU by function (self): ${cpu.topFunctions.map((f) => `${f.name} ${f.share}%`).join(', ')}`)
  }
  for (const s of statements.slice(0, 6))
    notes.push(`profile (${phase}): MariaDB ${s.share}% · ${s.count}× · ${s.avgMs} ms · ${s.rowsExaminedPerStatement} rows examined · ${s.statement}`)
  return notes
}
