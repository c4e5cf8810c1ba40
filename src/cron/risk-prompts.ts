import type { DomainDeps } from '../domain/deps.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import { sweepRiskPrompts } from '../domain/risk/answer.js'
import type { CronJob } from './scheduler.js'

/** Risk prompts: posts unanswered ones as normal replies, expires old ones, re-reads /risk changes (default every 5 s). */
export function riskPromptsJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'risk-prompts',
    schedule,
    async run() {
      for (const project of projects) await sweepRiskPrompts(deps, project)
    },
  }
}
