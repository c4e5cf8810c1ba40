import type { AccountRecord } from '../accounts/directory.js'
import { customerName, type Customer } from '../customers.js'
import { onDemandGroup, teamsOf, type ProjectRuntime } from '../project-runtime.js'
import { encodeCardAction } from '../buttons/onboarding-card.js'
import type { Keyboard } from '../buttons/keyboard.js'
import { startPayloadLine } from './start.js'
import { originLines } from '../links/attribution.js'

/** The card's buttons. */
export type CardKeyboard = Keyboard

/** The onboarding card's text; `source`: the diversion link that brought the customer (see `customerSource`). */
export function cardText(customer: Customer, account: AccountRecord, source?: string): string {
  const handle = customer.username ? `@${customer.username}, ` : ''
  return [
    '🆕 New customer waiting for a team',
    `Name: ${customerName(customer)} (${handle}id ${customer.telegramUserId})`,
    `Email: ${account.email}`,
    `Account: ${account.externalId} · ${account.displayName}`,
    `CR team hint: ${account.crTeamHint ?? '—'}`,
    `Treatment flag: ${account.treatment ? 'yes' : 'no'}`,
    ...originLines(source, startPayloadLine(customer.startPayload)),
  ].join('\n')
}

export function cardKeyboard(project: ProjectRuntime, assignmentId: number, hint: string | null, treatmentOn: boolean): CardKeyboard {
  const teams = teamsOf(project).map((team) => [
    { text: `→ ${team.title}${team.key === hint ? ' ★' : ''}`, callback_data: encodeCardAction({ assignmentId, action: 'assign', teamKey: team.key }) },
  ])
  const extra = onDemandGroup(project) ? [{ text: `${treatmentOn ? '☑' : '☐'} + Treatment`, callback_data: encodeCardAction({ assignmentId, action: 'treatment' }) }] : []
  return { inline_keyboard: [...teams, [...extra, { text: '✖ Reject', callback_data: encodeCardAction({ assignmentId, action: 'reject' }) }]] }
}
