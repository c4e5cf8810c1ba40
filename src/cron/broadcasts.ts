import { refreshBroadcasts } from '../domain/broadcasts/progress.js'
import type { DomainDeps } from '../domain/deps.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { CronJob } from './scheduler.js'

/** Edits running broadcasts' progress into their confirmations and marks finished ones done (default every second). */
export function broadcastsJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string): CronJob {
  return {
    name: 'broadcasts',
    schedule,
    run: () => refreshBroadcasts(deps, projects),
  }
}
