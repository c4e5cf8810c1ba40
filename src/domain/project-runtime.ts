import type { ProjectConfig, StaffRole } from '../config/index.js'
import type { TopicRole } from '../db/schema/index.js'

export type BotRole = 'client' | 'cs' | 'cr' | 'treatment'

export interface BotRef {
  id: number
  role: BotRole
  username: string
}

/** A configured project as the domain sees it: its database id, config and bots (no grammY). */
export interface ProjectRuntime {
  id: number
  config: ProjectConfig
  bots: Record<BotRole, BotRef[]>
}

export interface StaffMember {
  id: number
  name: string
  roles: StaffRole[]
}

/** The staff group a chat id belongs to, if any. */
export type StaffGroup = { role: TopicRole; teamKey: string; chatId: number; anonymous: boolean; label: string }

export function staffMember(project: ProjectRuntime, userId: number): StaffMember | undefined {
  return project.config.staff.find((member) => member.id === userId)
}

export function isCsLead(project: ProjectRuntime, userId: number): boolean {
  return staffMember(project, userId)?.roles.includes('cs_lead') ?? false
}

export function staffGroups(project: ProjectRuntime): StaffGroup[] {
  const { groups, relay } = project.config
  const result: StaffGroup[] = [{ role: 'cs', teamKey: 'cs', chatId: groups.cs.chatId, anonymous: relay.anonymousCs, label: relay.roleLabels.cs }]
  for (const team of groups.cr) result.push({ role: 'cr', teamKey: team.key, chatId: team.chatId, anonymous: team.anonymous, label: relay.roleLabels.cr })
  if (groups.treatment) result.push({ role: 'treatment', teamKey: 'treatment', chatId: groups.treatment.chatId, anonymous: relay.anonymousTreatment, label: relay.roleLabels.treatment })
  return result
}

export function staffGroupOf(project: ProjectRuntime, chatId: number): StaffGroup | undefined {
  return staffGroups(project).find((group) => group.chatId === chatId)
}

/** The bot that posts into a staff group (the first of the role's pool). */
export function botForRole(project: ProjectRuntime, role: TopicRole): BotRef {
  const bot = project.bots[role][0]
  if (!bot) throw new Error(`Project ${project.config.key} has no ${role} bot`)
  return bot
}

/** Every bot of the project, all pools included. */
export function projectBotIds(project: ProjectRuntime): number[] {
  return Object.values(project.bots).flatMap((pool) => pool.map((bot) => bot.id))
}

/** How a bot of this project looks up stored messages: in groups, a copy by any of the project's bots is ours. */
export function viewerOf(project: ProjectRuntime, botId: number): { botId: number; projectBotIds: number[] } {
  return { botId, projectBotIds: projectBotIds(project) }
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

/** Fills `{name}`-style placeholders of a template. */
export function fillTemplate(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (values[key] === undefined ? whole : String(values[key])))
}
