import { and, eq } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import { auditLog, reassignments } from '../../db/schema/index.js'
import { isDuplicateKey } from '../../db/errors.js'
import { recordAudit } from '../audit/events.js'
import { findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'

export type Reassignment = typeof reassignments.$inferSelect

export interface ReassignRequest {
  customerId: number
  toTeam: string
  dueAt: Date
  requestedBy?: number
  source: 'bot' | 'records'
  /** The admin API key that asked, if any (audited with the plan). */
  apiKeyId?: number
}

export type ScheduleOutcome = { ok: true; reassignment: Reassignment } | { ok: false; reason: string; existing?: Reassignment }

/**
 * Plans a move of a customer to another CR team. Refused (with a reason a person can read)
 * for an unknown team, the team they are already in, or when a move is already planned.
 */
export async function scheduleReassignment(deps: DomainDeps, project: ProjectRuntime, request: ReassignRequest): Promise<ScheduleOutcome> {
  const t = textsOf(project)
  const customer = await findCustomer(deps.db, request.customerId)
  if (!customer || customer.projectId !== project.id || customer.state !== 'active') return { ok: false, reason: t.staff('moveNotActive') }
  const team = teamsOf(project).find((candidate) => candidate.key === request.toTeam)
  if (!team) return { ok: false, reason: t.staff('noSuchTeam', { team: request.toTeam }) }
  if (customer.crTeam === team.key) return { ok: false, reason: t.staff('moveAlreadyThere', { team: team.title }) }
  try {
    const id = await deps.db.transaction(async (tx) => {
      const [inserted] = await tx.insert(reassignments).values(
        projectRow(reassignments, project.id, {
          customerId: customer.id,
          fromTeam: customer.crTeam ?? '',
          toTeam: team.key,
          requestedBy: request.requestedBy,
          source: request.source,
          dueAt: request.dueAt,
        }),
      )
      await tx.insert(auditLog).values(
        projectRow(auditLog, project.id, {
          actorUserId: request.requestedBy,
          action: 'reassignment_scheduled',
          customerId: customer.id,
          details: JSON.stringify({ to: team.key, dueAt: request.dueAt, source: request.source }),
        }),
      )
      if (request.apiKeyId !== undefined) {
        const details = { route: 'assign' as const, team: team.key }
        await recordAudit(tx, project.id, { kind: 'api_write', apiKeyId: request.apiKeyId, actorUserId: request.requestedBy ?? null, customerId: customer.id, details })
      }
      return Number(inserted.insertId)
    })
    const [reassignment] = await deps.db.select().from(reassignments).where(eq(reassignments.id, id))
    return { ok: true, reassignment: reassignment! }
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    const existing = await openReassignment(deps, customer.id)
    return { ok: false, reason: t.staff('moveAlreadyPlanned'), existing }
  }
}

export async function openReassignment(deps: DomainDeps, customerId: number): Promise<Reassignment | undefined> {
  const [row] = await deps.db
    .select()
    .from(reassignments)
    .where(and(eq(reassignments.customerId, customerId), eq(reassignments.state, 'scheduled')))
  return row
}

/** Cancels a planned move that has not started; false when it already ran or was cancelled. */
export async function cancelReassignment(deps: DomainDeps, project: ProjectRuntime, plan: { id: number; customerId: number }, userId: number): Promise<boolean> {
  const { id } = plan
  const [result] = await deps.db
    .update(reassignments)
    .set({ state: 'cancelled', openSlot: null })
    .where(inProject(reassignments, project.id, eq(reassignments.id, id), eq(reassignments.customerId, plan.customerId), eq(reassignments.state, 'scheduled')))
  if (result.affectedRows === 0) return false
  await deps.db
    .insert(auditLog)
    .values(projectRow(auditLog, project.id, { actorUserId: userId, action: 'reassignment_cancelled', details: JSON.stringify({ reassignmentId: id }) }))
  return true
}
