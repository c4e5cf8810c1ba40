import type { DomainDeps } from '../domain/deps.js'
import { closeIdleTopics } from '../domain/idle-topics.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { CronJob } from './scheduler.js'

/** Closes topics idle for longer than each project's `topics.idleCloseDays` (default hourly). */
export function idleTopicsJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'idle-topics',
    schedule,
    async run() {
      for (const project of projects) await closeIdleTopics(deps, project)
    },
  }
}
