import { and, asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { customers } from '../../db/schema/index.js'
import { customerName } from '../customers.js'
import { topicLinks } from '../crm/find.js'
import { presenceOf, type Presence } from '../presence.js'
import { homeRole, ownersRole } from '../roles.js'
import { teamsOf, textsOf, type ProjectRuntime, type StaffGroup } from '../project-runtime.js'
import { openCustomerCounts, openCustomersOf, teamAgents } from './team-agents.js'

/** How many customers `/mine` lists. */
export const MINE_LIMIT = 30

/** "🟢 online", or "🟢 online (active)" when read from recent activity rather than said. */
export function presenceLabel(project: ProjectRuntime, presence: Presence): string {
  return textsOf(project).staff('presenceLabel', { status: presence.status, active: presence.explicit || presence.status !== 'online' ? 'no' : 'yes' })
}

/**
 * `/who`: the agents of the team whose group it is asked in (in any other group, every team),
 * each with their presence (one per agent, whatever the brand) and their open customers here.
 */
export async function whoIsOn(db: DbOrTx, project: ProjectRuntime, group: StaffGroup, now: Date): Promise<string> {
  const teams = teamsOf(project).filter((team) => group.role !== ownersRole(project.roles)?.key || team.key === group.teamKey)
  const agents = [...new Map(teams.flatMap((team) => teamAgents(project, team.key)).map((agent) => [agent.id, agent])).values()]
  const ids = agents.map((agent) => agent.id)
  const [presence, open] = await Promise.all([presenceOf(db, ids, project.config.presence.activeMinutes, now), openCustomerCounts(db, project, ids)])
  const t = textsOf(project)
  const sections = teams.map((team) => {
    const lines = teamAgents(project, team.key).map((agent) =>
      t.staff('whoAgentLine', { presence: presenceLabel(project, presence.get(agent.id)!), agent: agent.name, open: open.get(agent.id) ?? 0 }),
    )
    return [t.staff('whoTeam', { team: team.title }), ...(lines.length ? lines : [t.staff('whoEmptyTeam')])].join('\n')
  })
  return sections.join('\n\n').slice(0, 4000)
}

/** `/mine`: the asking agent's open customers in this project, oldest first, each with a link to their topic (CR; CS when they have none). */
export async function myOpenCustomers(db: DbOrTx, project: ProjectRuntime, userId: number): Promise<string> {
  const rows = await db
    .select()
    .from(customers)
    .where(and(openCustomersOf(project), eq(customers.ownerUserId, userId)))
    .orderBy(asc(customers.id))
    .limit(MINE_LIMIT + 1)
  const t = textsOf(project)
  if (rows.length === 0) return t.staff('mineNone', { project: project.config.name })
  const shown = rows.slice(0, MINE_LIMIT)
  const ids = shown.map((customer) => customer.id)
  const [own, home] = await Promise.all([topicLinks(db, project, ids, ownersRole(project.roles)?.key ?? ''), topicLinks(db, project, ids, homeRole(project.roles).key)])
  const lines = shown.map((customer) => t.staff('mineLine', { name: customerName(customer), topic: own.get(customer.id) ?? home.get(customer.id) ?? t.staff('mineNoTopic') }))
  const more = rows.length > MINE_LIMIT ? [t.staff('mineMore', { limit: MINE_LIMIT })] : []
  const title = t.staff('mineTitle', { project: project.config.name, count: shown.length, more: rows.length > MINE_LIMIT ? 'yes' : 'no' })
  return [title, ...lines, ...more].join('\n').slice(0, 4000)
}
