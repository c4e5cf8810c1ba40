import type { DomainDeps } from '../domain/deps.js'
import { drainQueue } from '../domain/owners/queue.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { CronJob } from './scheduler.js'

/** Gives waiting customers an owner as agents come online or free up (default every 2 s, so within 5 s across processes). */
export function queueJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'queue',
    schedule,
    async run() {
      for (const project of projects) await drainQueue(deps, project)
    },
  }
}
