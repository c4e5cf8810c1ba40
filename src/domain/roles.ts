import type { ProjectConfig, StaffRole } from '../config/index.js'

/** A staff group of a role as configured: one for a single-group role, one per team otherwise. */
export interface RoleGroup {
  /** The team's key ('cs', 'treatment' for single-group roles). */
  teamKey: string
  chatId: number
  title: string
  anonymous: boolean
}

/** What the customer's assignment says, as far as opening topics is concerned. */
export interface AssignmentChoice {
  crTeam: string
  treatment: boolean
}

/**
 * One staff role: everything the service needs to know about it. The role's key is what topics
 * store (`topics.role`) and how the config names it (`bots.<key>`, `groups.<key>`,
 * `relay.roleLabels.<key>`); the functions read the role's parts of a project's config. Every
 * role's relay is the `live` priority class (`enqueue-to.ts`), so a role names no class of its own.
 */
export interface RoleDefinition {
  key: string
  /** 'single': one group; 'teams': a list of groups, a customer belongs to one of them. */
  groupKind: 'single' | 'teams'
  /** The role's groups in a project (none when the project does not use the role). */
  groups(config: ProjectConfig): RoleGroup[]
  /** The attribution label of the role's staff ("Alice · CS"). */
  label(config: ProjectConfig): string
  /** The role's bot tokens (a pool may have several). */
  botTokens(config: ProjectConfig): string[]
  /** Roster roles that work in the role's groups (the doctor checks they are members). */
  staff: readonly StaffRole[]
  /** Whether a customer assigned this way gets a topic in this group at onboarding. */
  opensAtAssignment(choice: AssignmentChoice, group: RoleGroup): boolean
  /**
   * The home role: its group holds the onboarding cards, prompts and system notices; its bot
   * handles the cards, /failed and reassignment; its topic's card has the reassignment menu.
   */
  home?: boolean
  /** Opened per customer on request (/treatment from another role's topic), with recent messages replayed; not at assignment. */
  onDemand?: boolean
  /** Each customer gets an owner among the agents of their team (routing, queue, transfers). */
  hasOwners?: boolean
}

/** The roles of a running app; a value (not a global), so a test can run with more roles. */
export type RoleRegistry = readonly RoleDefinition[]

const tokens = (value: string | string[] | undefined): string[] => (typeof value === 'string' ? [value] : (value ?? []))

/** The production roles: CS (home, one group), CR (teams), Treatment (optional, one group). */
export const STAFF_ROLES: RoleRegistry = [
  {
    key: 'cs',
    groupKind: 'single',
    groups: (config) => [{ teamKey: 'cs', chatId: config.groups.cs.chatId, title: config.groups.cs.title, anonymous: config.relay.anonymousCs }],
    label: (config) => config.relay.roleLabels.cs,
    botTokens: (config) => tokens(config.bots.cs),
    staff: ['cs', 'cs_lead'],
    opensAtAssignment: () => true,
    home: true,
  },
  {
    key: 'cr',
    groupKind: 'teams',
    groups: (config) => config.groups.cr.map((team) => ({ teamKey: team.key, chatId: team.chatId, title: team.title, anonymous: team.anonymous })),
    label: (config) => config.relay.roleLabels.cr,
    botTokens: (config) => tokens(config.bots.cr),
    staff: ['cr'],
    opensAtAssignment: (choice, group) => group.teamKey === choice.crTeam,
    hasOwners: true,
  },
  {
    key: 'treatment',
    groupKind: 'single',
    groups: (config) =>
      config.groups.treatment
        ? [{ teamKey: 'treatment', chatId: config.groups.treatment.chatId, title: config.groups.treatment.title, anonymous: config.relay.anonymousTreatment }]
        : [],
    label: (config) => config.relay.roleLabels.treatment,
    botTokens: (config) => tokens(config.bots.treatment),
    staff: ['treatment'],
    opensAtAssignment: (choice) => choice.treatment,
    onDemand: true,
  },
]

/** Every bot token of a project by role: the client bot first, then each staff role's pool. */
export function botTokensOf(config: ProjectConfig, registry: RoleRegistry): Array<{ role: string; tokens: string[] }> {
  return [{ role: 'client', tokens: [config.bots.client] }, ...registry.map((role) => ({ role: role.key, tokens: role.botTokens(config) }))]
}

/** The definition of a role key; throws for a key the registry does not know (a stored row of a removed role). */
export function roleDefinition(registry: RoleRegistry, key: string): RoleDefinition {
  const role = registry.find((r) => r.key === key)
  if (!role) throw new Error(`Unknown staff role "${key}"`)
  return role
}

/** The home role (its group takes the onboarding cards and prompts). */
export function homeRole(registry: RoleRegistry): RoleDefinition {
  return registry.find((r) => r.home) ?? registry[0]!
}

/** The role of teams a customer belongs to one of (CR): what reassignment moves between. */
export function teamsRole(registry: RoleRegistry): RoleDefinition {
  const role = registry.find((r) => r.groupKind === 'teams')
  if (!role) throw new Error('No role with teams in the registry')
  return role
}

/** The role whose customers have owners (CR), if any. */
export function ownersRole(registry: RoleRegistry): RoleDefinition | undefined {
  return registry.find((r) => r.hasOwners)
}

/** The role opened on request (Treatment). */
export function onDemandRole(registry: RoleRegistry): RoleDefinition {
  const role = registry.find((r) => r.onDemand)
  if (!role) throw new Error('No on-demand role in the registry')
  return role
}
