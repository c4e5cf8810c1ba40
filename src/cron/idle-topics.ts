import type { DomainDeps } from '../domain/deps.js'
import { closeIdleTopics, projectsWithIdleTopics } from '../domain/idle-topics.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { CronJob } from './scheduler.js'

/** Closes topics idle for longer than each project's `topics.idleCloseDays` (default hourly). */
export function idleTopicsJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'idle-topics',
    schedule,
    async run() {
      // One statement finds the projects with idle topics: the cost of a run does not grow with the projects.
      for (const project of await projectsWithIdleTopics(deps.db, projects, deps.clock.now())) await closeIdleTopics(deps, project)
    },
  }
}
