import { eq } from 'drizzle-orm'
import { assignments } from '../../db/schema/index.js'
import { findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { botForRole, staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { startReassignment } from '../reassignment/runner.js'
import { scheduleReassignment } from '../reassignment/schedule.js'
import { pressCardButton } from './decide.js'

export interface AssignRequest {
  customerId: number
  team: string
  /** The CS lead in whose name the decision is taken. */
  by: number
  /** The admin API key that asked (audited with the change). */
  apiKeyId?: number
}

export type AssignOutcome =
  { ok: true; kind: 'assigned' | 'reassigning'; text: string } | { ok: false; reason: 'no_customer' | 'not_staff' | 'forbidden' | 'no_team' | 'conflict'; message: string }

/**
 * Assigns a customer to a CR team from outside Telegram (the admin API), as a CS lead would:
 * a pending customer through their onboarding card (the same decision as pressing its team
 * button, card edited, topics opened), an active one by a move planned for now and started.
 */
export async function assignCustomer(deps: DomainDeps, project: ProjectRuntime, request: AssignRequest): Promise<AssignOutcome> {
  if (!staffMember(project, request.by))
    return { ok: false, reason: 'not_staff', message: textsOf(project).staff('apiNotStaff', { userId: request.by, project: project.config.key }) }
  const refusal = refusalFor(project, request.by, 'assign_customer')
  if (refusal) return { ok: false, reason: 'forbidden', message: refusal }
  const customer = await findCustomer(deps.db, request.customerId)
  if (!customer || customer.projectId !== project.id)
    return { ok: false, reason: 'no_customer', message: textsOf(project).staff('apiNoCustomer', { customerId: request.customerId, project: project.config.key }) }
  if (!project.config.groups.cr.some((t) => t.key === request.team)) return { ok: false, reason: 'no_team', message: textsOf(project).staff('noSuchTeam', { team: request.team }) }
  if (customer.state === 'active') {
    const planned = await scheduleReassignment(deps, project, {
      customerId: customer.id,
      toTeam: request.team,
      dueAt: deps.clock.now(),
      requestedBy: request.by,
      source: 'bot',
      ...(request.apiKeyId === undefined ? {} : { apiKeyId: request.apiKeyId }),
    })
    if (!planned.ok) return { ok: false, reason: 'conflict', message: planned.reason }
    // As "/reassign <team> now" does: started here, retried by the cron job if it fails.
    startReassignment(deps, project, planned.reassignment.id)
    return { ok: true, kind: 'reassigning', text: textsOf(project).staff('apiMoving', { team: request.team }) }
  }
  const [assignment] = await deps.db.select().from(assignments).where(eq(assignments.customerId, customer.id))
  if (customer.state !== 'pending_assignment' || !assignment || assignment.state !== 'pending')
    return { ok: false, reason: 'conflict', message: textsOf(project).staff('apiNotWaiting') }
  if (assignment.cardChatId === null || assignment.cardMessageId === null) return { ok: false, reason: 'conflict', message: textsOf(project).staff('apiCardNotPosted') }
  // The card's bot: the pool's first (a card posted by another bot of a pool keeps its buttons; they answer "Already decided").
  const card = { chatId: assignment.cardChatId, messageId: assignment.cardMessageId, botId: botForRole(project, 'cs').id }
  const answer = await pressCardButton(deps, project, {
    action: { assignmentId: assignment.id, action: 'assign', teamKey: request.team },
    userId: request.by,
    card,
    ...(request.apiKeyId === undefined ? {} : { apiKeyId: request.apiKeyId }),
  })
  return answer.alert ? { ok: false, reason: 'conflict', message: answer.text } : { ok: true, kind: 'assigned', text: answer.text }
}
