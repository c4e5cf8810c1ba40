import type { ClaimedJob, FailureClass } from '../delivery/hooks.js'
import { decodeDestination, privateChatOf } from '../delivery/destination.js'
import type { DomainDeps } from './deps.js'
import { textsOf, type ProjectRuntime } from './project-runtime.js'
import { setClientBlocked } from './relay/blocked.js'
import { noteNeverStarted } from './relay/never-started.js'
import { queueOnboardingText } from './onboarding/system-topic.js'
import { homeRole } from './roles.js'
import { chatOfDestination, groupTitle } from './group-alarm.js'

/**
 * Domain reactions to permanent send failures: a blocked client is marked (topics get one
 * notice); a client who never started the bot is noted in their topics; a bot without rights or removed from a staff group raises an alarm to the CS leads.
 */
export async function handlePermanentFailure(deps: DomainDeps, projects: ProjectRuntime[], job: ClaimedJob, failure: FailureClass, error: string): Promise<void> {
  const project = projects.find((p) => p.id === job.projectId)
  if (!project) return
  const destination = decodeDestination(job.destination)
  // A private chat: a person, not a group (an aside row is a summary, not the conversation).
  const privateChat = destination?.aside ? undefined : privateChatOf(destination)
  if (failure.kind === 'blocked' && privateChat) {
    await setClientBlocked(deps, project, privateChat, true)
    return
  }
  if (failure.kind === 'never_started' && privateChat) {
    deps.logger.warn({ outboxId: job.id, botId: job.botId, chatId: privateChat }, 'the recipient never started a chat with the bot')
    await noteNeverStarted(deps, project, privateChat, job.job)
    return
  }
  if (failure.kind === 'no_rights') {
    const chatId = await chatOfDestination(deps.db, destination)
    deps.logger.error({ outboxId: job.id, botId: job.botId, chatId, error }, 'ALARM: a bot lacks rights or was removed from a group')
    // The CS bot cannot post its own alarm into the CS group: the log line above is all there is.
    const csBotBroken = (project.bots[homeRole(project.roles).key] ?? []).some((bot) => bot.id === job.botId)
    const title = chatId === undefined ? undefined : groupTitle(project, chatId)
    if (csBotBroken || chatId === undefined || title === undefined || !deps.alarms.claim(chatId, 'rights', deps.clock.now().getTime())) return
    const bot = Object.values(project.bots)
      .flat()
      .find((b) => b.id === job.botId)
    const t = textsOf(project)
    const who = bot ? `@${bot.username}` : t.staff('botById', { id: job.botId })
    await queueOnboardingText(deps.db, project, t.staff('deliveryAlarm', { who, group: title, error }))
    deps.notify()
  }
}
