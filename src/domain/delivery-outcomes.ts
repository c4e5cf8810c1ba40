import type { DeliveryHooks } from '../delivery/worker.js'
import type { DomainDeps } from './deps.js'
import { handlePermanentFailure } from './delivery-failures.js'
import type { ProjectRuntime } from './project-runtime.js'
import { noteTopicRecovered } from './topic-health.js'

/**
 * The domain's side of the delivery port: what the lane workers report (a permanent failure, a
 * recovered topic) becomes a domain decision here, so delivery never writes domain tables.
 */
export function createDeliveryHooks(deps: DomainDeps, projects: ProjectRuntime[]): DeliveryHooks {
  const projectOf = (projectId: number) => projects.find((p) => p.id === projectId)
  return {
    onPermanentFailure: (job, failure, error) => handlePermanentFailure(deps, projects, job, failure, error),
    onTopicRecovered: async (job, outcome, topicId) => {
      const project = projectOf(job.projectId)
      if (project) await noteTopicRecovered(deps, project, topicId, outcome, job.botId)
    },
  }
}
