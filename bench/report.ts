import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RESULTS_DIR } from './paths.js'
import type { ScenarioResult } from './scenario.js'
import { median } from './stats.js'

type Figures = Record<string, number | undefined>

/** Median of each figure over runs (a single run is its own median). */
function medianFigures(runs: Figures[]): Figures {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))]
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]).filter((v): v is number => v !== undefined && Number.isFinite(v)))]))
}

/** Lowest and highest of each figure over runs: the spread the medians hide. */
function spreadFigures(runs: Figures[]): Record<string, { min: number; max: number }> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))]
  const spread: Record<string, { min: number; max: number }> = {}
  for (const key of keys) {
    const values = runs.map((r) => r[key]).filter((v): v is number => v !== undefined && Number.isFinite(v))
    if (values.length > 0) spread[key] = { min: Math.min(...values), max: Math.max(...values) }
  }
  return spread
}

/**
 * The figures the issue's targets name, under keys that stay put (bench/README.md): throughput
 * is the best phase's, relay p99 the first phase's (capacity: the fixed offered rate), queries
 * per copy over all phases that counted them, and the error counts summed.
 */
export function stableFigures(phases: Array<{ metrics: Figures; detail?: Record<string, unknown> }>): Record<string, number | undefined> {
  const sum = (key: string) => phases.reduce((total, p) => total + (p.metrics[key] ?? 0), 0)
  const counted = phases.filter((p) => p.metrics['DB queries / copy'] !== undefined)
  const copies = counted.reduce((total, p) => total + (p.metrics['delivered copies'] ?? 0), 0)
  const questions = counted.reduce((total, p) => total + (p.metrics['DB queries / copy'] ?? 0) * Math.max(1, p.metrics['delivered copies'] ?? 0), 0)
  const rates = phases.map((p) => p.metrics['relayed msg/s']).filter((v): v is number => v !== undefined)
  return {
    relayedPerSecond: rates.length ? Math.max(...rates) : undefined,
    relayP99Ms: phases[0]?.metrics['relay p99 ms'],
    queriesPerCopy: counted.length ? questions / Math.max(1, copies) : undefined,
    e429: sum('429 answers'),
    lost: sum('lost'),
    outOfOrder: sum('out of order'),
    duplicated: sum('duplicated'),
  }
}

function format(value: number | undefined): string {
  if (value === undefined) return '—'
  if (Number.isInteger(value)) return String(value)
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1)
}

function table(columns: string[], rows: Array<[string, ...string[]]>): string {
  const widths = [Math.max(...rows.map((r) => r[0].length), 0), ...columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i + 1] ?? '').length)))]
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')
  return [line(['', ...columns]), ...rows.map((r) => line(r))].join('\n')
}

/** A run's figures under stable keys: the common ones, then the scenario's own (e.g. scale's rssPeakMb). */
const runFigures = (run: ScenarioResult): Figures => ({ ...stableFigures(run.phases), ...run.figures })

/** The median table of one scenario: one column per phase, then the run summary. */
export function renderScenario(runs: ScenarioResult[]): string {
  const first = runs[0]
  if (!first) return ''
  const phaseNames = first.phases.map((p) => p.name)
  const perPhase = phaseNames.map((name) => runs.map((r) => r.phases.find((p) => p.name === name)?.metrics ?? {}))
  const medians = perPhase.map(medianFigures)
  const spreads = perPhase.map(spreadFigures)
  const keys = [...new Set(medians.flatMap((m) => Object.keys(m)))]
  const summaries = runs.map((r) => r.summary)
  const summary = medianFigures(summaries)
  const summarySpread = spreadFigures(summaries)
  // With several runs each cell is "median (lowest–highest)".
  const cell = (value: number | undefined, spread: { min: number; max: number } | undefined) =>
    runs.length > 1 && spread && spread.min !== spread.max ? `${format(value)} (${format(spread.min)}–${format(spread.max)})` : format(value)
  const stable = runs.map(runFigures)
  const stableMedian = medianFigures(stable)
  const stableSpread = spreadFigures(stable)
  const heading = `== ${first.scenario}${runs.length > 1 ? ` (median of ${runs.length} runs, lowest–highest in brackets)` : ''} ==`
  return [
    heading,
    table(
      phaseNames,
      keys.map((k) => [k, ...medians.map((m, i) => cell(m[k], spreads[i]?.[k]))]),
    ),
    '',
    table(
      ['run'],
      Object.entries(summary).map(([k, v]) => [k, cell(v, summarySpread[k])]),
    ),
    '',
    table(
      ['stable key'],
      Object.entries(stableMedian).map(([k, v]) => [k, cell(v, stableSpread[k])]),
    ),
    ...first.notes.map((n) => `note: ${n}`),
    ...runs.flatMap((r, i) =>
      r.phases.map((p) => `cpu${runs.length > 1 ? ` (run ${i + 1})` : ''}: ${typeof p.detail.cpuVerdict === 'string' ? p.detail.cpuVerdict : 'not measured'}`),
    ),
  ].join('\n')
}

/** bench/results/<timestamp>-<scenario>.json with every run and the medians. */
export function writeResults(timestamp: string, runs: ScenarioResult[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const first = runs[0]
  const path = join(RESULTS_DIR, `${timestamp}-${first?.scenario ?? 'unknown'}.json`)
  const perPhase = (name: string) => runs.map((r) => r.phases.find((q) => q.name === name)?.metrics ?? {})
  const medians = first?.phases.map((p) => ({ name: p.name, metrics: medianFigures(perPhase(p.name)), spread: spreadFigures(perPhase(p.name)) }))
  const stable = runs.map(runFigures)
  writeFileSync(
    path,
    JSON.stringify(
      {
        scenario: first?.scenario,
        timestamp,
        runCount: runs.length,
        // The issue's figures under stable keys: medians over the runs, and their spread.
        ...medianFigures(stable),
        spread: spreadFigures(stable),
        medians,
        summary: medianFigures(runs.map((r) => r.summary)),
        runs: runs.map((r, i) => ({ ...r, figures: stable[i] })),
      },
      null,
      2,
    ),
  )
  return path
}
