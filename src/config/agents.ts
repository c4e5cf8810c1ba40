import { z } from 'zod'

type Context = z.core.$RefinementCtx

export const staffRole = z.enum(['cs', 'cs_lead', 'cr', 'treatment'])
export type StaffRole = z.infer<typeof staffRole>

const userId = z.number().int().positive('a Telegram user id')
const languages = z.array(z.string().min(1)).optional()

/** A project's legacy `staff[]` entry; after parsing, `staff` holds the project's whole resolved roster in this shape. */
export const staffEntrySchema = z.strictObject({
  id: userId,
  name: z.string().min(1),
  roles: z.array(staffRole).min(1),
  /** The CR teams (keys of `groups.cr`) the member belongs to, for routing by owner. */
  teams: z.array(z.string()).default([]),
  languages,
})
export type StaffEntry = z.infer<typeof staffEntrySchema>

/** One agent of the deployment: who they are and, per project key, their roles and CR teams. */
export const agentSchema = z.strictObject({
  id: userId,
  name: z.string().min(1),
  languages,
  /** Their roles in projects of scope `all` they do not list (default: cs). */
  roles: z.array(staffRole).min(1).default(['cs']),
  projects: z.record(z.string(), z.strictObject({ roles: z.array(staffRole).min(1), teams: z.array(z.string()).default([]) })).default({}),
})

interface ProjectShape {
  key: string
  scope: 'designated' | 'all'
  groups: { cr: Array<{ key: string }> }
  staff: StaffEntry[]
}
interface AgentShape {
  id: number
  name: string
  languages?: string[] | undefined
  roles: StaffRole[]
  projects: Record<string, { roles: StaffRole[]; teams: string[] }>
}

/** Refuses duplicate agent ids, project keys no project has, and CR team keys the project does not have. */
export function checkAgents(config: { projects: ProjectShape[]; agents: AgentShape[] }, ctx: Context): void {
  const seen = new Map<number, number>()
  const teamsOf = new Map(config.projects.map((p) => [p.key, new Set(p.groups.cr.map((t) => t.key))]))
  const checkTeams = (path: Array<string | number>, projectKey: string, teams: string[]) =>
    teams.forEach((team, i) => {
      if (!teamsOf.get(projectKey)?.has(team))
        ctx.addIssue({
          code: 'custom',
          path: [...path, i],
          message: `unknown CR team "${team}" in project "${projectKey}" (known: ${[...(teamsOf.get(projectKey) ?? [])].join(', ')})`,
        })
    })
  config.agents.forEach((agent, a) => {
    const other = seen.get(agent.id)
    if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['agents', a, 'id'], message: `agent id ${agent.id} is already used by agents.${other}` })
    else seen.set(agent.id, a)
    for (const [key, access] of Object.entries(agent.projects)) {
      if (!teamsOf.has(key)) ctx.addIssue({ code: 'custom', path: ['agents', a, 'projects', key], message: `unknown project "${key}" (known: ${[...teamsOf.keys()].join(', ')})` })
      else checkTeams(['agents', a, 'projects', key, 'teams'], key, access.teams)
    }
  })
  config.projects.forEach((project, p) => project.staff.forEach((member, m) => checkTeams(['projects', p, 'staff', m, 'teams'], project.key, member.teams)))
}

/**
 * One roster per project: its legacy `staff` list, the agents that list the project, and — in a
 * project of scope `all` — every other agent with their default roles. A person in both lists
 * keeps the union of their roles and teams.
 */
export function resolveRoster(project: ProjectShape, agents: AgentShape[]): StaffEntry[] {
  const roster = new Map<number, StaffEntry>(project.staff.map((member) => [member.id, { ...member }]))
  for (const agent of agents) {
    const access = agent.projects[project.key] ?? (project.scope === 'all' ? { roles: agent.roles, teams: [] } : undefined)
    if (!access) continue
    const known = roster.get(agent.id)
    roster.set(agent.id, {
      id: agent.id,
      name: agent.name,
      roles: [...new Set([...(known?.roles ?? []), ...access.roles])],
      teams: [...new Set([...(known?.teams ?? []), ...access.teams])],
      languages: agent.languages ?? known?.languages,
    })
  }
  return [...roster.values()]
}
