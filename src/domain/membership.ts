import type { DomainDeps } from './deps.js'
import { enqueueTo } from './enqueue-to.js'
import { queueOnboardingText } from './onboarding/system-topic.js'
import { staffGroupOf, staffMember, textsOf, type ProjectRuntime } from './project-runtime.js'

/** Someone who just joined a staff group, as the bot adapter saw them. */
export interface JoinedMember {
  chatId: number
  userId: number
  isBot: boolean
  name: string
  username?: string | undefined
}

/** Whether enforceMembership removes this person from this group: not on the roster, not a bot, not allowed by the config. */
export function mustLeave(project: ProjectRuntime, joined: JoinedMember): boolean {
  if (!project.config.enforceMembership || !staffGroupOf(project, joined.chatId)) return false
  if (joined.isBot || project.config.allowedMembers.includes(joined.userId)) return false
  return !staffMember(project, joined.userId)
}

/**
 * Membership is the real access control (anyone in a staff group reads every topic): a person
 * who joins without being an authorised agent is removed by `botId` (ban, then unban so they
 * can be invited again) and the CS leads are told in the Onboarding topic, in one transaction.
 */
export async function removeUnauthorisedMember(deps: DomainDeps, project: ProjectRuntime, botId: number, joined: JoinedMember): Promise<'removed' | 'kept'> {
  if (!mustLeave(project, joined)) return 'kept'
  const group = staffGroupOf(project, joined.chatId)!
  const t = textsOf(project)
  const who = t.staff('memberName', { name: joined.name, hasUsername: joined.username ? 'yes' : 'no', username: joined.username ?? '', id: joined.userId })
  await deps.db.transaction(async (tx) => {
    await enqueueTo(tx, project, { kind: 'posted', chatId: joined.chatId, botId }, { type: 'remove_member', chatId: joined.chatId, userId: joined.userId })
    await queueOnboardingText(tx, project, t.staff('memberRemovedOnJoin', { who, group: group.title }))
  })
  deps.notify()
  deps.logger.warn({ projectId: project.id, chatId: joined.chatId, userId: joined.userId }, 'unauthorised member removed from a staff group')
  return 'removed'
}
