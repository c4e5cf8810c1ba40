import { existsSync, readFileSync } from 'node:fs'
import type { BenchDatabase, BenchServer } from './bench-database.js'
import { shapeOf } from './profile.js'

/**
 * The database side of agency-scale: MariaDB's statement counters over a window, every statement
 * the service sent in a window (the slow log with `long_query_time = 0`, as capacity's `--profile`
 * does) grouped by shape and by what sent it, the largest tables, and EXPLAIN of each statement shape.
 */

export type StatusCounters = Record<string, number>

/** Questions and every Com_* counter in one statement (so the bench's own read costs exactly one). */
export async function statusCounters(server: BenchServer): Promise<StatusCounters> {
  const rows = (await server.query(
    "SHOW GLOBAL STATUS WHERE Variable_name = 'Questions' OR Variable_name LIKE 'Com\\_%' OR Variable_name IN ('Handler_read_rnd_next', 'Select_scan')",
  )) as Array<{
    Variable_name: string
    Value: string
  }>
  return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]))
}

/** after − before, the counters that moved, largest first; `own` statements (the bench's reads) taken off Questions and Com_show_status. */
export function counterDelta(before: StatusCounters, after: StatusCounters, own: number): StatusCounters {
  const delta: StatusCounters = {}
  for (const [name, value] of Object.entries(after)) {
    const d = value - (before[name] ?? 0) - (name === 'Questions' || name === 'Com_show_status' ? own : 0)
    if (d !== 0) delta[name] = d
  }
  return Object.fromEntries(Object.entries(delta).sort((a, b) => b[1] - a[1]))
}

/** Switches the statement log to `path` (sessions opened earlier keep logging: it was on before the service started). */
export async function logStatementsTo(server: BenchServer, path: string): Promise<void> {
  await server.query('SET GLOBAL slow_query_log_file = ?', [path])
}

export interface StatementShape {
  shape: string
  count: number
  /** Who sends it: polling lock, redrive, cron lock, outbox workers, … */
  source: string
  rowsExaminedPerStatement: number
  /** One real statement of this shape (for EXPLAIN). */
  sample: string
}

/** Statements of a slow log grouped by shape (literals replaced), most frequent first; the bench's own reads left out. */
export function statementShapes(path: string): StatementShape[] {
  if (!existsSync(path)) return []
  const shapes = new Map<string, StatementShape & { rows: number }>()
  let rows = 0
  let lines: string[] = []
  const flush = () => {
    const statement = lines
      .filter((line) => !/^(SET timestamp|use )/.test(line))
      .join(' ')
      .trim()
    lines = []
    if (!statement || isBenchOwn(statement)) return
    const shape = shapeOf(statement, 200)
    const entry = shapes.get(shape) ?? { shape, count: 0, source: sourceOf(statement), rowsExaminedPerStatement: 0, sample: statement, rows: 0 }
    entry.count++
    entry.rows += rows
    shapes.set(shape, entry)
  }
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const timing = /^# Query_time: [\d.]+.*Rows_examined: (\d+)/.exec(line)
    if (timing) {
      flush()
      rows = Number(timing[1])
    } else if (!line.startsWith('#') && !/^(Time\s|Tcp port|\S+, Version)/.test(line)) lines.push(line.trim())
  }
  flush()
  return [...shapes.values()].map(({ rows: total, ...s }) => ({ ...s, rowsExaminedPerStatement: Math.round(total / s.count) })).sort((a, b) => b.count - a.count)
}

/** Statements by source, summed. */
export function bySource(shapes: StatementShape[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of shapes) out[s.source] = (out[s.source] ?? 0) + s.count
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]))
}

/** The bench's own statements (status reads, setup, witness queries): not the service's. */
function isBenchOwn(statement: string): boolean {
  return (
    /^(SHOW GLOBAL STATUS|SET GLOBAL|EXPLAIN|SELECT table_name|SELECT update_id AS updateId|SELECT \(SELECT COUNT\(\*\) FROM `bench_)/i.test(statement) ||
    /information_schema/i.test(statement)
  )
}

/** Who sends a statement, from its text (the lease work replaces the first two). */
function sourceOf(statement: string): string {
  if (/IS_USED_LOCK/i.test(statement)) return 'polling lock check (per bot, 5 s)'
  if (/GET_LOCK|RELEASE_LOCK/i.test(statement)) return /cron/i.test(statement) ? 'cron locks' : 'named locks'
  if (/from `updates`/i.test(statement) && /`state` = 'received'|state = 'received'/i.test(statement)) return 'redrive of unhandled updates (per bot, 5 s)'
  if (/\boutbox\b/i.test(statement)) return 'outbox workers'
  if (/`assistant_jobs`/i.test(statement)) return 'assistant worker'
  if (/`customers`.*`queued_at`/i.test(statement)) return 'cron queue'
  if (/`risk_phrases`|`risk_prompts`/i.test(statement)) return 'cron risk prompts'
  if (/`broadcasts`/i.test(statement)) return 'cron broadcasts'
  if (/`reassignments`/i.test(statement)) return 'cron reassignments'
  if (/`unanswered_waits`/i.test(statement)) return 'cron reminders'
  if (/^(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SET )/i.test(statement)) return 'transaction control'
  return 'other'
}

export interface TableSize {
  table: string
  rows: number
  dataMb: number
  indexMb: number
}

/** The largest tables of the database (information_schema; InnoDB's row counts are estimates). */
export async function largestTables(server: BenchServer, database: BenchDatabase, top = 8): Promise<TableSize[]> {
  const rows = (await server.query(
    'SELECT table_name AS t, table_rows AS n, data_length AS d, index_length AS i FROM information_schema.tables WHERE table_schema = ? ORDER BY data_length + index_length DESC LIMIT ?',
    [database.name, top],
  )) as Array<{ t: string; n: number; d: number; i: number }>
  const mb = (bytes: number) => Math.round((Number(bytes) / 1024 / 1024) * 10) / 10
  return rows.map((r) => ({ table: r.t, rows: Number(r.n), dataMb: mb(r.d), indexMb: mb(r.i) }))
}

export interface ExplainedStatement {
  shape: string
  count: number
  /** Per table of the plan: access type, key, rows estimate. */
  plan: Array<{ table: string; type: string; key: string | null; rows: number; extra: string | null }>
  /** A plan step that reads a whole table or index of a customer-sized table. */
  fullScan: boolean
}

/** Tables whose size follows the customers: a whole read of one is a full scan on a customer path. */
const CUSTOMER_SIZED = /^(accounts|customers|assignments|topics|messages|relay_links|outbox|updates|audit_events|assignment_history|unanswered_waits)$/

/** EXPLAIN of every data statement shape (SELECT, UPDATE, DELETE, INSERT … SELECT) with its sample. */
export async function explainShapes(database: BenchDatabase, shapes: StatementShape[]): Promise<ExplainedStatement[]> {
  const out: ExplainedStatement[] = []
  for (const s of shapes) {
    if (!/^(SELECT|UPDATE|DELETE|INSERT\s+(IGNORE\s+)?INTO\s+\S+\s.*SELECT)/i.test(s.sample) || /GET_LOCK|RELEASE_LOCK|IS_USED_LOCK/i.test(s.sample)) continue
    if (/^SELECT\s+(\d+|@@|CONNECTION_ID|LAST_INSERT_ID)/i.test(s.sample) && !/\bFROM\b/i.test(s.sample)) continue
    let rows: Array<Record<string, unknown>>
    try {
      rows = (await database.query(`EXPLAIN ${s.sample}`)) as Array<Record<string, unknown>>
    } catch (error) {
      out.push({
        shape: s.shape,
        count: s.count,
        plan: [{ table: '(EXPLAIN failed)', type: String((error as Error).message).slice(0, 80), key: null, rows: 0, extra: null }],
        fullScan: false,
      })
      continue
    }
    const plan = rows.map((r) => ({
      table: String((r.table as string | null) ?? ''),
      type: String((r.type as string | null) ?? ''),
      key: (r.key as string | null) ?? null,
      rows: Number(r.rows ?? 0),
      extra: (r.Extra as string | null) ?? null,
    }))
    const fullScan = plan.some((p) => (p.type === 'ALL' || p.type === 'index') && CUSTOMER_SIZED.test(p.table) && p.rows > 1000)
    out.push({ shape: s.shape, count: s.count, plan, fullScan })
  }
  return out
}
