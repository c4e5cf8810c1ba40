import type { DomainDeps } from '../domain/deps.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import { runAllDueReassignments } from '../domain/reassignment/execute.js'
import { scheduleMovesFromRecords } from '../domain/reassignment/records.js'
import type { CronJob } from './scheduler.js'

/** Executes due CR reassignments (default every minute). */
export function reassignmentsJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'reassignments',
    schedule,
    async run() {
      await runAllDueReassignments(deps, projects)
    },
  }
}

/** Schedules a move for every customer whose CR team differs from the account records. */
export function recordsSyncJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'records-sync',
    schedule,
    async run() {
      for (const project of projects) {
        const scheduled = await scheduleMovesFromRecords(deps, project)
        if (scheduled) deps.logger.info({ project: project.config.key, scheduled }, 'reassignments scheduled from the account records')
      }
    },
  }
}
