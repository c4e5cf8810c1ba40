import type { BenchServer } from './bench-database.js'
import type { StageWorld } from './bench-world.js'
import type { BenchOptions, ScenarioName } from './options.js'
import type { PhaseResult } from './phase.js'
import type { Stage } from './stage.js'

export interface ScenarioContext {
  server: BenchServer
  options: BenchOptions
  /** Where the service's stdout/stderr go for this run. */
  logPath: (label: string) => string
}

export interface ScenarioResult {
  scenario: ScenarioName
  /** Figures about the run as a whole (setup time, memory). */
  summary: Record<string, number | undefined>
  phases: PhaseResult[]
  notes: string[]
  /** The scenario's own figures under stable JSON keys, beside the common ones (bench/README.md). */
  figures?: Record<string, number | undefined>
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>

/** Setup and memory figures every scenario reports. */
export function stageSummary(stage: Stage<StageWorld>): Record<string, number | undefined> {
  const peak = stage.service.peak
  return {
    customers: stage.onboarded.length,
    'onboarding s': stage.onboardingMs / 1000,
    'onboarding steps repeated': stage.onboardingRetries,
    'service start s': stage.startupMs / 1000,
    'peak RSS MB (node)': Math.max(peak.serviceRssKb, peak.serviceHwmKb) / 1024,
    'peak RSS MB (npx+tsx+node)': peak.treeRssKb / 1024,
    'service crashes': stage.service.unexpectedExits.length,
  }
}
