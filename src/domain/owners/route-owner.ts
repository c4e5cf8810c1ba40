import { desc, eq, inArray, isNull } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { assignmentLog, customers, projects } from '../../db/schema/index.js'
import { logAssignment } from '../assignment-log.js'
import { presenceOf } from '../presence.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { ownersRole } from '../roles.js'
import { changeOwner } from './change-owner.js'
import { chooseOwner, type OwnerChoice, type OwnerChoiceInput } from './choose-owner.js'
import { openCustomerCounts, teamAgents } from './team-agents.js'

/**
 * Serialises a project's owner decisions across processes (routing, the queue, its buttons):
 * locks the project's row until the transaction ends. Call it before the transaction's first
 * plain read, so the snapshot InnoDB takes then already sees every earlier decision's commit
 * (open counts and the round-robin cursor are read after it). Lock order: project, then customers.
 */
export async function lockRouting(tx: DbOrTx, project: ProjectRuntime): Promise<void> {
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, project.id)).for('update')
}

/**
 * What routing needs for a customer of `teamKey`, read from the database: the team's agents with
 * their presence and open customers, and the round-robin cursor — the newest owner routing chose among them in
 * the assignment log (a person's transfer or queue press does not move the turn), so turns are fair across processes and restarts.
 */
export async function ownerChoiceInput(tx: DbOrTx, project: ProjectRuntime, teamKey: string, languageCode: string | null, now: Date): Promise<OwnerChoiceInput> {
  const agents = teamAgents(project, teamKey)
  const ids = agents.map((a) => a.id)
  const presence = await presenceOf(tx, ids, project.config.presence.activeMinutes, now)
  const open = await openCustomerCounts(tx, project, ids)
  const [last] =
    ids.length === 0
      ? []
      : await tx
          .select({ owner: assignmentLog.toOwner })
          .from(assignmentLog)
          .where(inProject(assignmentLog, project.id, eq(assignmentLog.action, 'owner_changed'), isNull(assignmentLog.actorUserId), inArray(assignmentLog.toOwner, ids)))
          .orderBy(desc(assignmentLog.id))
          .limit(1)
  return {
    candidates: agents.map((a) => ({ userId: a.id, presence: presence.get(a.id)?.status ?? 'offline', openCustomers: open.get(a.id) ?? 0, languages: a.languages ?? [] })),
    routing: project.config.routing,
    languageCode,
    lastOwner: last?.owner ?? null,
  }
}

/**
 * Gives a customer who just got a CR team (onboarding, a move) an owner of that team by the
 * project's routing rule, through `changeOwner`; when nobody can take them, they lose a previous
 * owner and wait in the queue (`queued_at`, logged once). The caller holds `lockRouting`.
 * `onlyWaiting` (the queue's drain): only a customer still queued without an owner.
 * Returns the choice, or undefined when the customer needs no owner (not active, no CR team).
 */
export async function routeOwner(
  tx: DbOrTx,
  project: ProjectRuntime,
  customerId: number,
  reason: string,
  now: Date,
  options: { onlyWaiting?: boolean } = {},
): Promise<OwnerChoice | undefined> {
  const [customer] = await tx
    .select()
    .from(customers)
    .where(inProject(customers, project.id, eq(customers.id, customerId)))
    .for('update')
  if (!customer || customer.state !== 'active' || !customer.crTeam || !ownersRole(project.roles)) return undefined
  // The queue's drain listed the customer before it locked the row: one who got an owner meanwhile is not its to route.
  if (options.onlyWaiting && (customer.queuedAt === null || customer.ownerUserId !== null)) return undefined
  const choice = chooseOwner(await ownerChoiceInput(tx, project, customer.crTeam, customer.languageCode, now))
  if (choice.kind === 'agent') {
    await changeOwner(tx, project, customer.id, { to: choice.userId, by: null, reason })
    return choice
  }
  if (customer.ownerUserId !== null) await changeOwner(tx, project, customer.id, { to: null, by: null, reason })
  if (customer.queuedAt === null) {
    await tx.update(customers).set({ queuedAt: now }).where(eq(customers.id, customer.id))
    await logAssignment(tx, { projectId: project.id, customerId: customer.id, action: 'queued', toTeam: customer.crTeam, reason: `${reason}: ${choice.why.replace('_', ' ')}` })
  }
  return choice
}
