import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { accounts, assignments, auditLog, customers } from '../../db/schema/index.js'
import { findCustomer } from '../customers.js'
import { enqueueTo } from '../enqueue-to.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { onDemandGroup, staffMember, teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { NOT_THIS_MESSAGE } from '../button-binding.js'
import type { CardAction } from '../buttons/onboarding-card.js'
import { cardKeyboard, cardText } from './assignment-card.js'
import { queueClientText } from './notify-client.js'
import { openCustomerTopics } from './open-topics.js'
import { logAssignment } from '../assignment-log.js'
import { utcStamp } from '../reassignment/when.js'
import { recordAudit, type AuditEvent } from '../audit/events.js'
import { lockRouting, routeOwner } from '../owners/route-owner.js'
import { customerSource } from '../links/attribution.js'
import { scopeOf, inProject, projectRow } from '../../db/project-scope.js'

/** What the pressing staff member is told (answerCallbackQuery). */
export interface PressAnswer {
  text: string
  alert: boolean
}

export interface CardPress {
  action: CardAction
  userId: number
  /** Where the card is, and the bot of the CS pool that posted it (the press reached it; only it may edit the card). */
  card: { chatId: number; messageId: number; botId: number }
  /** The admin API key that pressed in the lead's name (audited with the decision). */
  apiKeyId?: number
}

/**
 * A button press on an onboarding card. Only CS leads decide; the guarded UPDATE (state must
 * still be 'pending') makes the database, not timing, choose the single winner of a race.
 */
export async function pressCardButton(deps: DomainDeps, project: ProjectRuntime, press: CardPress): Promise<PressAnswer> {
  const refusal = refusalFor(project, press.userId, 'assign_customer')
  if (refusal) return { text: refusal, alert: true }
  const lead = staffMember(project, press.userId)!
  const t = textsOf(project)
  const [assignment] = await deps.db
    .select()
    .from(assignments)
    .where(inProject(assignments, project.id, eq(assignments.id, press.action.assignmentId)))
  if (!assignment) return { text: t.staff('cardNoLongerValid'), alert: true }
  // The card records its message once sent: data of one card pressed on another is refused.
  const card = press.card
  if (assignment.cardMessageId !== null && (assignment.cardChatId !== card.chatId || assignment.cardMessageId !== card.messageId))
    return { text: t.staff(NOT_THIS_MESSAGE), alert: true }
  if (assignment.state !== 'pending') return alreadyDecided(project, assignment.decidedBy)
  const customer = await findCustomer(deps.db, assignment.customerId)
  const [account] = customer?.accountId ? await deps.db.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
  if (!customer || !account) return { text: t.staff('cardCustomerGone'), alert: true }
  const action = press.action
  const source = await customerSource(deps.db, scopeOf(project), textsOf(project), customer.id)
  if (action.action === 'assign' && !teamsOf(project).some((team) => team.key === action.teamKey)) {
    return { text: t.staff('cardTeamGone', { team: action.teamKey }), alert: true }
  }
  // The card is edited by the bot that posted it, in the prompts stream.
  const editCard = (tx: DbOrTx, text: string, keyboard?: ReturnType<typeof cardKeyboard>) =>
    enqueueTo(
      tx,
      project,
      { kind: 'posted', chatId: card.chatId, botId: card.botId },
      { type: 'edit_text', chatId: card.chatId, messageId: card.messageId, text, ...(keyboard ? { replyMarkup: keyboard } : {}) },
      { stream: 'prompt' },
    )

  const answer = await deps.db.transaction(async (tx): Promise<PressAnswer> => {
    // Before any read: the owner chosen below must see every other process's earlier choice.
    if (action.action === 'assign') await lockRouting(tx, project)
    if (action.action === 'treatment') {
      const [toggled] = await tx
        .update(assignments)
        .set({ treatmentToggle: sql`NOT ${assignments.treatmentToggle}` })
        .where(and(eq(assignments.id, assignment.id), eq(assignments.state, 'pending')))
      if (toggled.affectedRows === 0) return { text: t.staff('cardAlreadyDecided'), alert: false }
      const [now] = await tx.select({ on: assignments.treatmentToggle }).from(assignments).where(eq(assignments.id, assignment.id))
      await editCard(tx, cardText(project, customer, account, source), cardKeyboard(project, assignment.id, account.crTeamHint, Boolean(now?.on)))
      return { text: t.staff(now?.on ? 'cardTreatmentOn' : 'cardTreatmentOff'), alert: false }
    }
    const decidedAt = deps.clock.now()
    const [won] = await tx
      .update(assignments)
      .set({ state: action.action === 'assign' ? 'assigned' : 'rejected', crTeam: action.action === 'assign' ? action.teamKey : null, decidedBy: press.userId, decidedAt })
      .where(and(eq(assignments.id, assignment.id), eq(assignments.state, 'pending')))
    if (won.affectedRows === 0) return { text: t.staff('cardRaceLost'), alert: true }
    if (press.apiKeyId !== undefined) await recordAudit(tx, project.id, apiDecision(press.apiKeyId, press.userId, customer.id, action))
    const stamp = utcStamp(project, decidedAt)
    if (action.action === 'reject') {
      await tx.update(customers).set({ state: 'rejected', accountId: null }).where(eq(customers.id, customer.id))
      await tx.insert(auditLog).values(projectRow(auditLog, project.id, { actorUserId: press.userId, action: 'rejected', customerId: customer.id }))
      await logAssignment(tx, { projectId: project.id, customerId: customer.id, action: 'rejected', actorUserId: press.userId, reason: 'onboarding card' })
      await queueClientText(tx, project, customer.telegramUserId, t.client(customer.languageCode, 'rejected'))
      await editCard(tx, `${cardText(project, customer, account, source)}\n\n${t.staff('cardRejected', { lead: lead.name, stamp })}`)
      return { text: t.staff('cardRejectedAnswer'), alert: false }
    }
    const [fresh] = await tx.select({ treatment: assignments.treatmentToggle }).from(assignments).where(eq(assignments.id, assignment.id))
    const treatment = Boolean(fresh?.treatment) && Boolean(onDemandGroup(project))
    const team = teamsOf(project).find((t) => t.key === action.teamKey)!
    await openCustomerTopics(tx, project, customer, account, { crTeam: team.key, treatment, decidedBy: { id: lead.id, name: lead.name } }, decidedAt)
    await routeOwner(tx, project, customer.id, 'routing', decidedAt)
    await editCard(
      tx,
      `${cardText(project, customer, account, source)}\n\n${t.staff('cardAssigned', { team: team.title, treatment: treatment ? 'yes' : 'no', lead: lead.name, stamp })}`,
    )
    return { text: t.staff('cardAssignedAnswer', { team: team.title }), alert: false }
  })
  deps.notify()
  return answer
}

function alreadyDecided(project: ProjectRuntime, decidedBy: number | null): PressAnswer {
  const t = textsOf(project)
  const who = decidedBy ? (staffMember(project, decidedBy)?.name ?? t.staff('userById', { id: decidedBy })) : t.staff('someone')
  return { text: t.staff('cardDecidedBy', { who }), alert: true }
}

/** The audit event of a card decision taken through the admin API. */
function apiDecision(apiKeyId: number, userId: number, customerId: number, action: CardAction): AuditEvent {
  const team = action.action === 'assign' ? { team: action.teamKey } : {}
  return { kind: 'api_write', apiKeyId, actorUserId: userId, customerId, details: { route: 'assign', ...team } }
}
