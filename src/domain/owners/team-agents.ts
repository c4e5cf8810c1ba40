import { and, count, eq, inArray } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { customers } from '../../db/schema/index.js'
import type { ProjectRuntime, StaffMember } from '../project-runtime.js'
import { ownersRole } from '../roles.js'

/**
 * The agents who may own a team's customers, in roster order (the round-robin order): members
 * with the owners role's staff roles (CR) who list the team, or list no team at all (they work
 * for every team).
 */
export function teamAgents(project: ProjectRuntime, teamKey: string): StaffMember[] {
  const role = ownersRole(project.roles)
  if (!role) return []
  return project.roster.members().filter((m) => m.roles.some((r) => role.staff.includes(r)) && (m.teams.length === 0 || m.teams.includes(teamKey)))
}

/** How many open customers (active, conversation open) each of these agents owns in the project. */
export async function openCustomerCounts(db: DbOrTx, project: ProjectRuntime, userIds: readonly number[]): Promise<Map<number, number>> {
  if (userIds.length === 0) return new Map()
  const rows = await db
    .select({ owner: customers.ownerUserId, open: count() })
    .from(customers)
    .where(and(openCustomersOf(project), inArray(customers.ownerUserId, [...userIds])))
    .groupBy(customers.ownerUserId)
  return new Map(rows.flatMap((row) => (row.owner === null ? [] : [[row.owner, row.open] as const])))
}

/** The condition "an open customer of this project": assigned (active) and their conversation not resolved. */
export function openCustomersOf(project: ProjectRuntime) {
  return inProject(customers, project.id, eq(customers.state, 'active'), eq(customers.conversation, 'open'))
}
