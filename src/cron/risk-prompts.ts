import type { DomainDeps } from '../domain/deps.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import { sweepAllRiskPrompts } from '../domain/risk/answer.js'
import type { CronJob } from './scheduler.js'

/** Risk prompts: posts unanswered ones as normal replies, expires old ones, re-reads /risk changes (default every 5 s). */
export function riskPromptsJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'risk-prompts',
    schedule,
    // The same statements for 1 project or 100 when nothing is pending.
    run: () => sweepAllRiskPrompts(deps, projects),
  }
}
