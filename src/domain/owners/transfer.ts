import { and, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { customers } from '../../db/schema/index.js'
import type { Keyboard } from '../buttons/keyboard.js'
import { transferKeyboard } from '../buttons/transfer.js'
import { customerName, type Customer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { presenceOf } from '../presence.js'
import { memberName, teamsOf, type ProjectRuntime } from '../project-runtime.js'
import { changeOwner } from './change-owner.js'
import { teamAgents } from './team-agents.js'
import { presenceLabel } from './who.js'

export type TransferOutcome = { ok: true; text: string } | { ok: false; reason: string }

/** The longest reason kept (the assignment log's note column). */
export const TRANSFER_NOTE_MAX = 255
const NOTE_PREFIX = 'Reason: '

/**
 * `/transfer [reason]` in a customer's topic: the agents of the customer's team other than the
 * owner as buttons (with their presence), and for a CS lead the other CR teams. The reason is
 * the prompt's last line; the press reads it back from the pressed message, which Telegram
 * reports as posted, so no one can change it.
 */
export async function transferPrompt(
  db: DbOrTx,
  project: ProjectRuntime,
  request: { customerId: number; by: number; reason: string; now: Date },
): Promise<{ ok: true; text: string; keyboard: Keyboard } | { ok: false; reason: string }> {
  const customer = await projectCustomer(db, project, request.customerId)
  if (!customer?.crTeam || customer.state !== 'active') return { ok: false, reason: 'This customer has no CR team yet, so there is nobody to transfer them to.' }
  const refusal = refusalFor(project, request.by, 'transfer_customer', customer)
  if (refusal) return { ok: false, reason: refusal }
  const agents = teamAgents(project, customer.crTeam).filter((agent) => agent.id !== customer.ownerUserId)
  const teams = refusalFor(project, request.by, 'reassign_customer') ? [] : teamsOf(project).filter((team) => team.key !== customer.crTeam)
  if (agents.length === 0 && teams.length === 0) return { ok: false, reason: `There is nobody else in ${teamTitle(project, customer.crTeam)} to transfer this customer to.` }
  const presence = await presenceOf(
    db,
    agents.map((agent) => agent.id),
    project.config.presence.activeMinutes,
    request.now,
  )
  const owner = customer.ownerUserId === null ? 'nobody' : memberName(project, customer.ownerUserId)
  // One line: the press reads it back as the prompt's last line.
  const note = request.reason.replace(/\s+/g, ' ').trim().slice(0, TRANSFER_NOTE_MAX)
  const text = [`🔁 Transfer ${customerName(customer)} (owner: ${owner}) to whom?`, ...(note ? [`${NOTE_PREFIX}${note}`] : [])].join('\n')
  const labels = agents.map((agent) => ({ id: agent.id, label: `${agent.name} · ${presenceLabel(presence.get(agent.id)!)}` }))
  return { ok: true, text, keyboard: transferKeyboard(customer.id, labels, teams) }
}

/** The reason a transfer prompt carries (its last line), or null. */
export function transferNoteOf(promptText: string | undefined): string | null {
  const line = promptText?.split('\n').at(-1)
  return line?.startsWith(NOTE_PREFIX) && promptText!.includes('\n') ? line.slice(NOTE_PREFIX.length) || null : null
}

/**
 * An agent button of a transfer prompt: checked again at the press (the owner may have changed,
 * the agent left the team), then the owner changes through `changeOwner` (log, cards, a notice
 * mentioning both owners) with reason 'transfer' and the prompt's reason as the note.
 */
export async function transferToAgent(
  deps: DomainDeps,
  project: ProjectRuntime,
  transfer: { customerId: number; to: number; by: number; note: string | null },
): Promise<TransferOutcome> {
  const outcome = await deps.db.transaction(async (tx): Promise<TransferOutcome> => {
    const customer = await projectCustomer(tx, project, transfer.customerId, { lock: true })
    if (!customer?.crTeam) return { ok: false, reason: 'This customer no longer has a CR team.' }
    const refusal = refusalFor(project, transfer.by, 'transfer_customer', customer)
    if (refusal) return { ok: false, reason: refusal }
    const name = memberName(project, transfer.to)
    if (!teamAgents(project, customer.crTeam).some((agent) => agent.id === transfer.to))
      return { ok: false, reason: `${name} is not an agent of ${teamTitle(project, customer.crTeam)} any more.` }
    if (customer.ownerUserId === transfer.to) return { ok: false, reason: `${name} already owns this customer.` }
    await changeOwner(tx, project, customer.id, { to: transfer.to, by: transfer.by, reason: 'transfer', note: transfer.note })
    return { ok: true, text: `🔁 ${customerName(customer)} now belongs to ${name} (transferred by ${memberName(project, transfer.by)}).` }
  })
  if (outcome.ok) deps.notify()
  return outcome
}

async function projectCustomer(db: DbOrTx, project: ProjectRuntime, customerId: number, o: { lock?: boolean } = {}): Promise<Customer | undefined> {
  const query = db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.projectId, project.id)))
  const [row] = o.lock ? await query.for('update') : await query
  return row
}

function teamTitle(project: ProjectRuntime, teamKey: string): string {
  return teamsOf(project).find((team) => team.key === teamKey)?.title ?? teamKey
}
