import { seenInGroup } from '../db/repositories/group-members.js'
import type { DbOrTx } from '../db/client.js'
import type { DomainDeps } from './deps.js'
import { enqueueTo } from './enqueue-to.js'
import { queueOnboardingText } from './onboarding/system-topic.js'
import { botForRole, projectBotIds, staffGroups, staffMember, textsOf, type ProjectRuntime, type StaffGroup } from './project-runtime.js'

/** A person (or bot) in a staff group, as a `getChatMember` or `getChatAdministrators` answer shows them. */
export interface GroupMember {
  userId: number
  isBot: boolean
  name: string
  username?: string | undefined
  /** 'admin': creator or administrator; 'member': a member (a restricted one too); 'absent': left, kicked, never joined. */
  status: 'admin' | 'member' | 'absent'
  /** Whether they may remove members (`can_restrict_members`; the creator may). */
  canRestrict: boolean
}

/**
 * What the sweep asks Telegram, through the group's listening bot (`botId`). The Bot API cannot
 * list a group's members: only its administrators, and one user at a time.
 */
export interface GroupMembers {
  member(botId: number, chatId: number, userId: number): Promise<GroupMember>
  administrators(botId: number, chatId: number): Promise<GroupMember[]>
}

/** Someone in a staff group who is not authorised there; `removable` false says why the bot cannot remove them. */
export interface UnauthorisedMember {
  group: StaffGroup
  member: GroupMember
  removable: true | 'administrator' | 'no_right'
}

const describeMember = (project: ProjectRuntime, m: GroupMember) =>
  textsOf(project).staff('memberName', { name: m.name, hasUsername: m.username ? 'yes' : 'no', username: m.username ?? '', id: m.userId })

/**
 * The people in the project's staff groups who are neither on its roster nor allowed
 * (`allowedMembers`) nor bots: among everyone the service has seen in each group (stored updates
 * and messages, past rosters) and the group's administrators. A group that cannot be read is
 * logged and skipped.
 */
export async function unauthorisedMembers(db: DbOrTx, project: ProjectRuntime, members: GroupMembers, logger: DomainDeps['logger']): Promise<UnauthorisedMember[]> {
  const ours = new Set(projectBotIds(project))
  const found: UnauthorisedMember[] = []
  for (const group of staffGroups(project)) {
    const botId = botForRole(project, group.role).id
    try {
      const admins = await members.administrators(botId, group.chatId)
      const self = await members.member(botId, group.chatId, botId)
      const candidates = new Set([...(await seenInGroup(db, project.id, group.chatId)), ...admins.map((a) => a.userId)])
      for (const userId of candidates) {
        if (ours.has(userId) || staffMember(project, userId) || project.config.allowedMembers.includes(userId)) continue
        const member = admins.find((a) => a.userId === userId) ?? (await members.member(botId, group.chatId, userId))
        if (member.isBot || member.status === 'absent') continue
        const removable = member.status === 'admin' ? 'administrator' : self.canRestrict ? true : 'no_right'
        found.push({ group, member, removable })
      }
    } catch (error) {
      logger.warn({ err: error, projectId: project.id, chatId: group.chatId }, 'membership sweep: the group could not be read')
    }
  }
  return found
}

/**
 * With `enforceMembership`, after start-up and each roster reload: removes from the staff
 * groups the people who are no longer (or never were) on the roster — ban, then unban, as on a
 * join — and lists to the CS leads, in the Onboarding topic, those the bot cannot remove
 * (administrators, or a bot without the Ban users right), in one transaction.
 */
export async function sweepMembership(deps: DomainDeps, project: ProjectRuntime, members: GroupMembers): Promise<UnauthorisedMember[]> {
  if (!project.config.enforceMembership) return []
  const found = await unauthorisedMembers(deps.db, project, members, deps.logger)
  if (found.length === 0) return found
  const removed = found.filter((f) => f.removable === true)
  const kept = found.filter((f) => f.removable !== true)
  const t = textsOf(project)
  const lines = [t.staff('sweepTitle')]
  if (removed.length) lines.push(t.staff('sweepRemoved'), ...removed.map((f) => t.staff('sweepRemovedLine', { who: describeMember(project, f.member), group: f.group.title })))
  if (kept.length)
    lines.push(
      t.staff('sweepKept'),
      ...kept.map((f) =>
        t.staff('sweepKeptLine', { who: describeMember(project, f.member), group: f.group.title, why: f.removable === 'administrator' ? 'administrator' : 'no_right' }),
      ),
    )
  lines.push(t.staff('sweepHowToKeep'))
  await deps.db.transaction(async (tx) => {
    for (const { group, member } of removed) {
      const botId = botForRole(project, group.role).id
      await enqueueTo(tx, project, { kind: 'posted', chatId: group.chatId, botId }, { type: 'remove_member', chatId: group.chatId, userId: member.userId })
    }
    await queueOnboardingText(tx, project, lines.join('\n'))
  })
  deps.notify()
  deps.logger.warn({ projectId: project.id, removed: removed.map((f) => f.member.userId), notRemoved: kept.map((f) => f.member.userId) }, 'membership sweep')
  return found
}

/** Sweeps every project that enforces membership, one after another; a failure is logged, never thrown. */
export async function sweepProjects(deps: DomainDeps, projects: readonly ProjectRuntime[], members: GroupMembers): Promise<void> {
  for (const project of projects) {
    await sweepMembership(deps, project, members).catch((error: unknown) => deps.logger.warn({ err: error, projectId: project.id }, 'membership sweep failed'))
  }
}
