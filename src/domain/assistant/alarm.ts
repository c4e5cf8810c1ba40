import type { DomainDeps } from '../deps.js'
import { queueOnboardingText } from '../onboarding/system-topic.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'

/** A provider failure the leads hear about. */
export type ProviderFailure = 'timeout' | 'rate_limited' | 'failed'

const REASON_KEYS = { timeout: 'assistantReasonTimeout', rate_limited: 'assistantReasonRateLimited', failed: 'assistantReasonFailed' } as const

/**
 * The project's assistant provider is failing: one alarm per project per hour in its Onboarding
 * topic (the CS leads read it), through the outbox. A failure to queue it is logged, never thrown.
 */
export async function alarmAssistantFailing(deps: DomainDeps, project: ProjectRuntime, reason: ProviderFailure): Promise<boolean> {
  if (!deps.alarms.claim(project.config.groups.cs.chatId, 'assistant', deps.clock.now().getTime())) return false
  const log = { projectId: project.id, reason }
  deps.logger.warn(log, "ALARM: the assistant's provider is failing")
  const t = textsOf(project)
  const text = t.staff('assistantAlarm', { project: project.config.name, reason: t.staff(REASON_KEYS[reason]) })
  return deps.db
    .transaction((tx) => queueOnboardingText(tx, project, text))
    .then(
      () => {
        deps.notify()
        return true
      },
      (error: unknown) => {
        deps.logger.error({ ...log, err: error }, 'could not queue the assistant alarm')
        return false
      },
    )
}
