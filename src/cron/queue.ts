import type { DomainDeps } from '../domain/deps.js'
import { drainQueue, projectsWithWaitingCustomers } from '../domain/owners/queue.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { CronJob } from './scheduler.js'

/** Gives waiting customers an owner as agents come online or free up (default every 2 s, so within 5 s across processes). */
export function queueJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'queue',
    schedule,
    async run() {
      // One statement finds the projects with someone waiting: an idle run costs the same for 1 project or 100.
      for (const project of await projectsWithWaitingCustomers(deps.db, projects)) await drainQueue(deps, project)
    },
  }
}
