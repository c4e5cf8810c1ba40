import type { AccountRecord } from '../accounts/directory.js'
import { customerName, type Customer } from '../customers.js'
import { onDemandGroup, teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { encodeCardAction } from '../buttons/onboarding-card.js'
import type { Keyboard } from '../buttons/keyboard.js'
import { startPayloadLine } from './start.js'
import { originLines } from '../links/attribution.js'

/** The card's buttons. */
export type CardKeyboard = Keyboard

/** The placeables of a "name (@username)" text: `hasUsername` selects the variant. */
export function usernameArgs(username: string | null): { hasUsername: 'yes' | 'no'; username: string } {
  return { hasUsername: username ? 'yes' : 'no', username: username ?? '' }
}

/** The onboarding card: who is waiting, their account and what it hints; `source`: the diversion link that brought the customer (see `customerSource`). */
export function cardText(project: ProjectRuntime, customer: Customer, account: AccountRecord, source?: string): string {
  const t = textsOf(project)
  return [
    t.staff('cardTitle'),
    t.staff('cardName', { name: customerName(customer), ...usernameArgs(customer.username), telegramId: customer.telegramUserId }),
    t.staff('cardEmail', { email: account.email }),
    t.staff('cardAccount', { accountId: account.externalId, accountName: account.displayName }),
    t.staff('cardTeamHint', { hint: account.crTeamHint ?? '—' }),
    t.staff('cardTreatmentFlag', { treatment: account.treatment ? 'yes' : 'no' }),
    ...originLines(t, source, startPayloadLine(customer.startPayload)),
  ].join('\n')
}

export function cardKeyboard(project: ProjectRuntime, assignmentId: number, hint: string | null, treatmentOn: boolean): CardKeyboard {
  const t = textsOf(project)
  const teams = teamsOf(project).map((team) => [
    {
      text: t.staff('cardTeamButton', { team: team.title, hinted: team.key === hint ? 'yes' : 'no' }),
      callback_data: encodeCardAction({ assignmentId, action: 'assign', teamKey: team.key }),
    },
  ])
  const extra = onDemandGroup(project)
    ? [{ text: t.staff('cardTreatmentButton', { on: treatmentOn ? 'yes' : 'no' }), callback_data: encodeCardAction({ assignmentId, action: 'treatment' }) }]
    : []
  return { inline_keyboard: [...teams, [...extra, { text: t.staff('cardRejectButton'), callback_data: encodeCardAction({ assignmentId, action: 'reject' }) }]] }
}
