import { and, asc, eq, isNotNull } from 'drizzle-orm'
import { inProject, inProjects } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { customers } from '../../db/schema/index.js'
import { queueKeyboard } from '../buttons/queue.js'
import type { Keyboard } from '../buttons/keyboard.js'
import { customerName, type Customer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { memberName, teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { changeOwner } from './change-owner.js'
import { lockRouting, routeOwner } from './route-owner.js'
import { hasRoom } from './choose-owner.js'
import { openCustomerCounts, openCustomersOf, teamAgents } from './team-agents.js'

/** Customers listed by `/queue` at most (the oldest). */
const LISTED = 10

/** The project's customers waiting for an owner, oldest first (active, conversation open). */
export async function waitingCustomers(db: DbOrTx, project: ProjectRuntime, limit?: number): Promise<Customer[]> {
  const query = db
    .select()
    .from(customers)
    .where(and(openCustomersOf(project), isNotNull(customers.queuedAt)))
    .orderBy(asc(customers.queuedAt), asc(customers.id))
  return limit === undefined ? query : query.limit(limit)
}

/** The projects with a customer waiting for an owner: one statement for every project (the queue job runs every 2 s). */
export async function projectsWithWaitingCustomers(db: DbOrTx, projects: readonly ProjectRuntime[]): Promise<ProjectRuntime[]> {
  if (projects.length === 0) return []
  const rows = await db
    .selectDistinct({ projectId: customers.projectId })
    .from(customers)
    .where(
      inProjects(
        customers,
        projects.map((p) => p.id),
        isNotNull(customers.queuedAt),
        eq(customers.state, 'active'),
        eq(customers.conversation, 'open'),
      ),
    )
  const waiting = new Set(rows.map((r) => r.projectId))
  return projects.filter((p) => waiting.has(p.id))
}

/**
 * Routes waiting customers, oldest first, to agents who can take them now (came online, freed
 * up): each by the project's rule, under the routing lock, in one transaction. Called by the
 * queue's periodic job (every 2 s by default, in one process at a time) and by anything that
 * frees an agent or brings one online (`/online`, `/resolve`). Returns how many got an owner.
 */
export async function drainQueue(deps: DomainDeps, project: ProjectRuntime, now = deps.clock.now()): Promise<number> {
  if ((await waitingCustomers(deps.db, project, 1)).length === 0) return 0
  const routed = await deps.db.transaction(async (tx) => {
    await lockRouting(tx, project)
    let owners = 0
    // Whether anyone of a team can take a customer does not depend on the customer: once one waits on, the rest of that team do too.
    const full = new Set<string | null>()
    for (const customer of await waitingCustomers(tx, project)) {
      if (full.has(customer.crTeam)) continue
      const choice = await routeOwner(tx, project, customer.id, 'queue', now, { onlyWaiting: true })
      if (choice?.kind === 'agent') owners++
      else if (choice) full.add(customer.crTeam)
    }
    return owners
  })
  if (routed > 0) {
    deps.notify()
    deps.logger.info({ project: project.config.key, routed }, 'waiting customers routed from the queue')
  }
  return routed
}

/** The agents of the customer's team who may take one more customer, with their names. */
async function agentsWithRoom(db: DbOrTx, project: ProjectRuntime, teamKey: string): Promise<Array<{ id: number; name: string }>> {
  const agents = teamAgents(project, teamKey)
  const open = await openCustomerCounts(
    db,
    project,
    agents.map((a) => a.id),
  )
  return agents.filter((a) => hasRoom(open.get(a.id) ?? 0, project.config.routing)).map((a) => ({ id: a.id, name: a.name }))
}

/** `/queue`: the waiting customers, oldest first, with their waiting time, and a button per agent who can take each. */
export async function queueListing(db: DbOrTx, project: ProjectRuntime, now: Date): Promise<{ text: string; keyboard: Keyboard }> {
  const waiting = await waitingCustomers(db, project, LISTED)
  const t = textsOf(project)
  if (waiting.length === 0) return { text: t.staff('queueEmpty'), keyboard: { inline_keyboard: [] } }
  const teams = new Map(teamsOf(project).map((t) => [t.key, t.title]))
  const rows = await Promise.all(waiting.map(async (customer, i) => ({ place: i + 1, customerId: customer.id, agents: await agentsWithRoom(db, project, customer.crTeam ?? '') })))
  const lines = waiting.map((c, i) => {
    const team = teams.get(c.crTeam ?? '') ?? c.crTeam ?? '—'
    const waited = waitingTime(project, now.getTime() - c.queuedAt!.getTime())
    return t.staff('queueLine', { place: i + 1, name: customerName(c), team, waited, room: rows[i]!.agents.length === 0 ? 'no' : 'yes' })
  })
  return { text: [t.staff('queueTitle'), ...lines].join('\n'), keyboard: queueKeyboard(rows) }
}

/** "under a minute", "7 min", "2 h 05 min", "3 d 4 h". */
export function waitingTime(project: ProjectRuntime, ms: number): string {
  const t = textsOf(project)
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 1) return t.staff('waitedUnderAMinute')
  if (minutes < 60) return t.staff('waitedMinutes', { minutes })
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return t.staff('waitedHours', { hours, minutes: String(minutes % 60).padStart(2, '0') })
  return t.staff('waitedDays', { days: Math.floor(hours / 24), hours: hours % 24 })
}

/**
 * A CS lead's press on a `/queue` button: gives the waiting customer to the agent, refusing
 * politely (and changing nothing) when the customer is not this project's, no longer waits, or
 * the agent is not in their team or has no room. Returns the sentence to show.
 */
export async function assignFromQueue(
  deps: DomainDeps,
  project: ProjectRuntime,
  press: { customerId: number; agentId: number; by: number },
): Promise<{ ok: boolean; text: string }> {
  const refusal = refusalFor(project, press.by, 'assign_owner')
  if (refusal) return { ok: false, text: refusal }
  const t = textsOf(project)
  const outcome = await deps.db.transaction(async (tx) => {
    await lockRouting(tx, project)
    const [customer] = await tx
      .select()
      .from(customers)
      .where(inProject(customers, project.id, eq(customers.id, press.customerId)))
      .for('update')
    if (!customer) return { ok: false, text: t.staff('queueNotHere') }
    const name = customerName(customer)
    if (customer.ownerUserId !== null) return { ok: false, text: t.staff('queueHasOwner', { name, owner: memberName(project, customer.ownerUserId) }) }
    if (customer.queuedAt === null || customer.state !== 'active' || customer.conversation !== 'open') return { ok: false, text: t.staff('queueNoLongerWaiting', { name }) }
    const agent = memberName(project, press.agentId)
    if (!teamAgents(project, customer.crTeam ?? '').some((a) => a.id === press.agentId)) return { ok: false, text: t.staff('queueNotTeamAgent', { agent, name }) }
    if (!(await agentsWithRoom(tx, project, customer.crTeam ?? '')).some((a) => a.id === press.agentId)) return { ok: false, text: t.staff('queueAgentFull', { agent }) }
    await changeOwner(tx, project, customer.id, { to: press.agentId, by: press.by, reason: 'queue' })
    return { ok: true, text: t.staff('queueAssigned', { name, agent }) }
  })
  if (outcome.ok) deps.notify()
  deps.logger.info({ project: project.config.key, ...press, ok: outcome.ok }, 'queue assignment pressed')
  return outcome
}
