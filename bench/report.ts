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

/** The median table of one scenario: one column per phase, then the run summary. */
export function renderScenario(runs: ScenarioResult[]): string {
  const first = runs[0]
  if (!first) return ''
  const phaseNames = first.phases.map((p) => p.name)
  const medians = phaseNames.map((name) => medianFigures(runs.map((r) => r.phases.find((p) => p.name === name)?.metrics ?? {})))
  const keys = [...new Set(medians.flatMap((m) => Object.keys(m)))]
  const summary = medianFigures(runs.map((r) => r.summary))
  const heading = `== ${first.scenario}${runs.length > 1 ? ` (median of ${runs.length} runs)` : ''} ==`
  return [
    heading,
    table(
      phaseNames,
      keys.map((k) => [k, ...medians.map((m) => format(m[k]))]),
    ),
    '',
    table(
      ['run'],
      Object.entries(summary).map(([k, v]) => [k, format(v)]),
    ),
    ...first.notes.map((n) => `note: ${n}`),
  ].join('\n')
}

/** bench/results/<timestamp>-<scenario>.json with every run and the medians. */
export function writeResults(timestamp: string, runs: ScenarioResult[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const first = runs[0]
  const path = join(RESULTS_DIR, `${timestamp}-${first?.scenario ?? 'unknown'}.json`)
  const medians = first?.phases.map((p) => ({ name: p.name, metrics: medianFigures(runs.map((r) => r.phases.find((q) => q.name === p.name)?.metrics ?? {})) }))
  writeFileSync(path, JSON.stringify({ scenario: first?.scenario, timestamp, medians, summary: medianFigures(runs.map((r) => r.summary)), runs }, null, 2))
  return path
}
