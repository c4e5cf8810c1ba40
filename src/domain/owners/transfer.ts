import { eq } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import { queueSummaryAfterOwnerChange } from '../assistant/summaries.js'
import type { DbOrTx } from '../../db/client.js'
import { customers, transferPrompts } from '../../db/schema/index.js'
import type { Keyboard } from '../buttons/keyboard.js'
import { transferKeyboard } from '../buttons/transfer.js'
import { customerName, type Customer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { presenceOf } from '../presence.js'
import { memberName, teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { changeOwner } from './change-owner.js'
import { teamAgents } from './team-agents.js'
import { presenceLabel } from './who.js'

export type TransferOutcome = { ok: true; text: string } | { ok: false; reason: string }

/** The longest reason kept (the assignment log's note column). */
export const TRANSFER_NOTE_MAX = 255

/**
 * `/transfer [reason]` in a customer's topic: the agents of the customer's team other than the
 * owner as buttons (with their presence), and for a CS lead the other CR teams. A reason is
 * kept in a `transfer_prompts` row named by the agent buttons, so the press reads it from there.
 */
export async function transferPrompt(
  db: DbOrTx,
  project: ProjectRuntime,
  request: { customerId: number; by: number; reason: string; now: Date },
): Promise<{ ok: true; text: string; keyboard: Keyboard } | { ok: false; reason: string }> {
  const t = textsOf(project)
  const customer = await projectCustomer(db, project, request.customerId)
  if (!customer?.crTeam || customer.state !== 'active') return { ok: false, reason: t.staff('transferNoTeamYet') }
  const refusal = refusalFor(project, request.by, 'transfer_customer', customer)
  if (refusal) return { ok: false, reason: refusal }
  const agents = teamAgents(project, customer.crTeam).filter((agent) => agent.id !== customer.ownerUserId)
  const teams = refusalFor(project, request.by, 'reassign_customer') ? [] : teamsOf(project).filter((team) => team.key !== customer.crTeam)
  if (agents.length === 0 && teams.length === 0) return { ok: false, reason: t.staff('transferNobodyElse', { team: teamTitle(project, customer.crTeam) }) }
  const presence = await presenceOf(
    db,
    agents.map((agent) => agent.id),
    project.config.presence.activeMinutes,
    request.now,
  )
  const owner = customer.ownerUserId === null ? t.staff('nobody') : memberName(project, customer.ownerUserId)
  const note = request.reason.replace(/\s+/g, ' ').trim().slice(0, TRANSFER_NOTE_MAX)
  const text = [t.staff('transferPrompt', { name: customerName(customer), owner }), ...(note ? [t.staff('transferReason', { note })] : [])].join('\n')
  const [prompt] = note ? await db.insert(transferPrompts).values(projectRow(transferPrompts, project.id, { customerId: customer.id, note })) : []
  const labels = agents.map((agent) => ({ id: agent.id, label: t.staff('transferAgentButton', { agent: agent.name, presence: presenceLabel(project, presence.get(agent.id)!) }) }))
  const teamLabels = teams.map((team) => ({ key: team.key, label: t.staff('transferTeamButton', { team: team.title }) }))
  return { ok: true, text, keyboard: transferKeyboard(customer.id, labels, teamLabels, prompt ? Number(prompt.insertId) : undefined) }
}

/** The reason kept for a transfer prompt of this customer, or null (none given, or not theirs). */
export async function transferNoteOf(db: DbOrTx, project: ProjectRuntime, customerId: number, promptId: number | undefined): Promise<string | null> {
  if (promptId === undefined) return null
  const [prompt] = await db
    .select({ note: transferPrompts.note })
    .from(transferPrompts)
    .where(inProject(transferPrompts, project.id, eq(transferPrompts.id, promptId), eq(transferPrompts.customerId, customerId)))
  return prompt?.note ?? null
}

/**
 * An agent button of a transfer prompt: checked again at the press (the owner may have changed,
 * the agent left the team), then the owner changes through `changeOwner` (log, cards, a notice
 * mentioning both owners) with reason 'transfer' and the prompt's reason as the note.
 */
export async function transferToAgent(
  deps: DomainDeps,
  project: ProjectRuntime,
  transfer: { customerId: number; to: number; by: number; promptId?: number },
): Promise<TransferOutcome> {
  const outcome = await deps.db.transaction(async (tx): Promise<TransferOutcome> => {
    const t = textsOf(project)
    const customer = await projectCustomer(tx, project, transfer.customerId, { lock: true })
    if (!customer?.crTeam) return { ok: false, reason: t.staff('transferTeamGone') }
    const refusal = refusalFor(project, transfer.by, 'transfer_customer', customer)
    if (refusal) return { ok: false, reason: refusal }
    const name = memberName(project, transfer.to)
    if (!teamAgents(project, customer.crTeam).some((agent) => agent.id === transfer.to))
      return { ok: false, reason: t.staff('transferNotAgent', { agent: name, team: teamTitle(project, customer.crTeam) }) }
    if (customer.ownerUserId === transfer.to) return { ok: false, reason: t.staff('transferAlreadyOwns', { agent: name }) }
    const note = await transferNoteOf(tx, project, customer.id, transfer.promptId)
    await changeOwner(tx, project, customer.id, { to: transfer.to, by: transfer.by, reason: 'transfer', note })
    await queueSummaryAfterOwnerChange(tx, project, customer.id, 'transfer')
    return { ok: true, text: t.staff('transferDone', { name: customerName(customer), agent: name, by: memberName(project, transfer.by) }) }
  })
  if (outcome.ok) deps.notify()
  return outcome
}

async function projectCustomer(db: DbOrTx, project: ProjectRuntime, customerId: number, o: { lock?: boolean } = {}): Promise<Customer | undefined> {
  const query = db
    .select()
    .from(customers)
    .where(inProject(customers, project.id, eq(customers.id, customerId)))
  const [row] = o.lock ? await query.for('update') : await query
  return row
}

function teamTitle(project: ProjectRuntime, teamKey: string): string {
  return teamsOf(project).find((team) => team.key === teamKey)?.title ?? teamKey
}
