import type { DomainDeps } from './deps.js'
import { enqueueTo } from './enqueue-to.js'
import { ensureOnboardingTopic } from './onboarding/system-topic.js'
import { textsOf, type BotRef, type ProjectRuntime } from './project-runtime.js'
import { homeRole } from './roles.js'

/** A bot that cannot receive updates, as the alarm names it. */
export interface FailingBot {
  self: BotRef
  /** Where its token sits in the config, e.g. `projects[0].bots.cs[1]`. */
  path: string
  /** Why, in a few words ("Telegram refused its token (401 Unauthorized)"). */
  reason: string
  /** What the operator should do. */
  remedy: string
}

/**
 * Posts one alarm into the project's Onboarding topic that a bot of the project cannot receive
 * updates, through a bot of the home role that still works (`isWorking`). Returns false when no
 * such bot is left: the log and the metric are then the only alarm.
 */
export async function alarmBotFailing(deps: DomainDeps, project: ProjectRuntime, failing: FailingBot, isWorking: (botId: number) => boolean): Promise<boolean> {
  // The pool's listening bot first (it created the Onboarding topic), then the others.
  const via = (project.bots[homeRole(project.roles).key] ?? []).find((bot) => isWorking(bot.id))
  if (!via) return false
  const t = textsOf(project)
  const name = failing.self.username ? `@${failing.self.username}` : t.staff('botById', { id: failing.self.id })
  const text = t.staff('botAlarm', { name, path: failing.path, reason: failing.reason, remedy: failing.remedy })
  await deps.db.transaction(async (tx) => {
    const systemTopicId = await ensureOnboardingTopic(tx, project)
    await enqueueTo(tx, project, { kind: 'system_topic', systemTopicId }, { type: 'text', target: { kind: 'system_topic', systemTopicId }, text }, { via: via.id })
  })
  deps.notify()
  return true
}
