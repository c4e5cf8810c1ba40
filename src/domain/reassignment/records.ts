import { eq, isNotNull, isNull, ne, or } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import { accounts, customers } from '../../db/schema/index.js'
import type { DomainDeps } from '../deps.js'
import { teamsOf, type ProjectRuntime } from '../project-runtime.js'
import { openReassignment, scheduleReassignment } from './schedule.js'

/**
 * Schedules a move, "by records", for each active customer whose account records name a new CR
 * team since the team was last decided (after an import, or from the directory). Only changes
 * count: a lead's manual move is not undone because the records still name the old team.
 */
export async function scheduleMovesFromRecords(deps: DomainDeps, project: ProjectRuntime, now = deps.clock.now()): Promise<number> {
  const teams = new Set(teamsOf(project).map((t) => t.key))
  const differing = await deps.db
    .select({ customerId: customers.id, hint: accounts.crTeamHint, team: customers.crTeam })
    .from(customers)
    .innerJoin(accounts, inProject(accounts, customers.projectId, eq(accounts.id, customers.accountId)))
    .where(
      inProject(
        customers,
        project.id,
        eq(customers.state, 'active'),
        isNotNull(accounts.crTeamHint),
        or(isNull(customers.crTeamHintSeen), ne(accounts.crTeamHint, customers.crTeamHintSeen)),
      ),
    )
  let scheduled = 0
  for (const { customerId, hint, team } of differing) {
    const seen = () => deps.db.update(customers).set({ crTeamHintSeen: hint }).where(eq(customers.id, customerId))
    if (hint === team) {
      await seen()
      continue
    }
    if (!hint || !teams.has(hint)) {
      deps.logger.warn({ customerId, hint }, 'account records name a CR team that is not configured; not moved')
      continue
    }
    if (await openReassignment(deps, customerId)) continue
    const outcome = await scheduleReassignment(deps, project, { customerId, toTeam: hint, dueAt: now, source: 'records' })
    if (outcome.ok) {
      scheduled++
      await seen()
    }
  }
  return scheduled
}
