import { textSettings, type ProjectConfig } from '../config/index.js'
import { createTexts, type Texts } from '../texts/index.js'
import type { Viewer } from '../db/repositories/relay.js'
import type { Roster, StaffMember } from './roster.js'
import type { RelayPolicy } from './relay/policies/policy.js'
import type { AssistantTrigger } from './assistant/triggers.js'
import { homeRole, onDemandRole, roleDefinition, teamsRole, type RoleGroup, type RoleRegistry } from './roles.js'

/** 'client', or the key of a staff role of the registry. */
export type BotRole = string

export interface BotRef {
  id: number
  role: BotRole
  username: string
}

/** A configured project as the domain sees it: its database id, config and bots (no grammY). */
export interface ProjectRuntime {
  id: number
  config: ProjectConfig
  /** Bot pools by role: `client` (one bot) and each staff role of `roles`. */
  bots: { client: BotRef[]; [role: BotRole]: BotRef[] }
  /** The app's staff roles (see `roles.ts`). */
  roles: RoleRegistry
  /** Who is authorised here (designated staff and agents), replaced on reload. */
  roster: Roster
  /** How long album parts wait for their siblings before the album is sent (per app). */
  albumWindowMs: number
  /** True when the database numbers a multi-row insert's rows consecutively (see `readMultiRowInsertIds`); else one insert per relay link. */
  multiRowInsertIds?: boolean
  /** Relay policies run after the built-in ones (ban, flood), in order (`relayPolicies`); the app's `StartOptions.policies`. */
  policies?: readonly RelayPolicy[]
  /** Assistant triggers run after the built-in ones (`assistant/triggers.ts`); the app's `StartOptions.assistantTriggers` (tests). */
  assistantTriggers?: readonly AssistantTrigger[]
}

export type { StaffMember } from './roster.js'

/** A staff group with its role's key and label. */
export type StaffGroup = { role: string; teamKey: string; chatId: number; anonymous: boolean; label: string; title: string }

/** The roster entry of a user, if they are staff of this project. */
export function staffMember(project: ProjectRuntime, userId: number): StaffMember | undefined {
  return project.roster.get(userId)
}

/** A staff member's name as the roster has it (their id once they left the roster). */
export function memberName(project: ProjectRuntime, userId: number): string {
  return staffMember(project, userId)?.name ?? textsOf(project).staff('userById', { id: userId })
}

/** Every staff group of the project, in registry order (home group first). */
export function staffGroups(project: ProjectRuntime): StaffGroup[] {
  return project.roles.flatMap((role) =>
    role
      .groups(project.config)
      .map((group) => ({ role: role.key, teamKey: group.teamKey, chatId: group.chatId, anonymous: group.anonymous, label: role.label(project.config), title: group.title })),
  )
}

/** The teams a customer can be assigned to or moved between (CR), as `{ key, title, chatId }`. */
export function teamsOf(project: ProjectRuntime): Array<RoleGroup & { key: string }> {
  return teamsRole(project.roles)
    .groups(project.config)
    .map((group) => ({ ...group, key: group.teamKey }))
}

/** The home group (CS): onboarding cards, prompts, /failed. */
export function homeGroup(project: ProjectRuntime): RoleGroup {
  const group = homeRole(project.roles).groups(project.config)[0]
  if (!group) throw new Error(`Project ${project.config.key} has no home group`)
  return group
}

/** The group of the role opened on request (Treatment), if the project has one. */
export function onDemandGroup(project: ProjectRuntime): RoleGroup | undefined {
  return onDemandRole(project.roles).groups(project.config)[0]
}

/** The staff group a chat id belongs to, if any. */
export function staffGroupOf(project: ProjectRuntime, chatId: number): StaffGroup | undefined {
  return staffGroups(project).find((group) => group.chatId === chatId)
}

/** The bot that posts into a staff group (the first of the role's pool). */
export function botForRole(project: ProjectRuntime, role: string): BotRef {
  const bot = project.bots[roleDefinition(project.roles, role).key]?.[0]
  if (!bot) throw new Error(`Project ${project.config.key} has no ${role} bot`)
  return bot
}

/** Every bot of the project, all pools included. */
export function projectBotIds(project: ProjectRuntime): number[] {
  return Object.values(project.bots).flatMap((pool) => pool.map((bot) => bot.id))
}

/** How a bot of this project looks up stored messages: in groups, a copy by any of the project's bots is ours. */
export function viewerOf(project: ProjectRuntime, botId: number): Viewer {
  return { projectId: project.id, botId, projectBotIds: projectBotIds(project) }
}

/** The project's one client bot (clients talk to one bot; there is no client pool). */
export function clientBot(project: ProjectRuntime): BotRef {
  const bot = project.bots.client[0]
  if (!bot) throw new Error(`Project ${project.config.key} has no client bot`)
  return bot
}

/** "Alice · CS", or just "CS" for an anonymous team. */
export function attribution(project: ProjectRuntime, group: StaffGroup, senderId: number): string {
  const member = staffMember(project, senderId)
  if (group.anonymous || !member) return group.label
  return `${member.name} · ${group.label}`
}

const projectTexts = new WeakMap<ProjectConfig, Texts>()

/** The project's texts (built once per config): the domain says which key, the texts module words it. */
export function textsOf(project: ProjectRuntime): Texts {
  let texts = projectTexts.get(project.config)
  if (!texts) projectTexts.set(project.config, (texts = createTexts(textSettings(project.config))))
  return texts
}
