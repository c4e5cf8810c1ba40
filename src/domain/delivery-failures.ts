import type { FailureClass } from '../delivery/classify-error.js'
import type { ClaimedJob } from '../delivery/outbox.js'
import type { DomainDeps } from './deps.js'
import type { ProjectRuntime } from './project-runtime.js'
import { setClientBlocked } from './relay/blocked.js'
import { queueOnboardingText } from './onboarding/system-topic.js'

/**
 * Domain reactions to permanent send failures: a blocked client is marked (topics get one
 * notice); a bot without rights or removed from a group raises an alarm to the CS leads.
 */
export async function handlePermanentFailure(deps: DomainDeps, projects: ProjectRuntime[], job: ClaimedJob, failure: FailureClass, error: string): Promise<void> {
  const project = projects.find((p) => p.id === job.projectId)
  if (!project) return
  const chat = /^chat:(\d+)$/.exec(job.destination)
  if (failure.kind === 'blocked' && chat) {
    await setClientBlocked(deps, project, Number(chat[1]), true)
    return
  }
  if (failure.kind === 'no_rights') {
    deps.logger.error({ outboxId: job.id, botId: job.botId, error }, 'ALARM: a bot lacks rights or was removed from a group')
    const csBotBroken = project.bots.cs.some((bot) => bot.id === job.botId)
    if (!csBotBroken) {
      await queueOnboardingText(deps.db, project, `🚨 Delivery alarm: bot ${job.botId} cannot post (${error}). Check that it is still an admin with the right permissions.`)
      deps.notify()
    }
  }
}
