import { and, eq, isNotNull, ne } from 'drizzle-orm'
import { accounts, customers } from '../../db/schema/index.js'
import type { DomainDeps } from '../deps.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { openReassignment, scheduleReassignment } from './schedule.js'

/**
 * Compares each active customer's CR team with the account records' CR team hint (after an
 * import, or from the directory) and schedules a move for each difference, "by records".
 */
export async function scheduleMovesFromRecords(deps: DomainDeps, project: ProjectRuntime, now = new Date()): Promise<number> {
  const teams = new Set(project.config.groups.cr.map((t) => t.key))
  const differing = await deps.db
    .select({ customerId: customers.id, hint: accounts.crTeamHint })
    .from(customers)
    .innerJoin(accounts, eq(accounts.id, customers.accountId))
    .where(and(eq(customers.projectId, project.id), eq(customers.state, 'active'), isNotNull(accounts.crTeamHint), ne(accounts.crTeamHint, customers.crTeam)))
  let scheduled = 0
  for (const { customerId, hint } of differing) {
    if (!hint || !teams.has(hint)) {
      deps.logger.warn({ customerId, hint }, 'account records name a CR team that is not configured; not moved')
      continue
    }
    if (await openReassignment(deps, customerId)) continue
    const outcome = await scheduleReassignment(deps, project, { customerId, toTeam: hint, dueAt: now, source: 'records' })
    if (outcome.ok) scheduled++
  }
  return scheduled
}
