import type { Keyboard } from './keyboard.js'

/**
 * The reassignment buttons, all bound to a customer: the menu on the CS profile card
 * (`ra:m:<customer>`), a team (`ra:t:<customer>:<team>`), when (`ra:w:<customer>:<team>:<now|tonight>`)
 * and cancelling a planned move (`ra:c:<customer>:<reassignment>`). Pressed by CS leads, in the
 * customer's CS topic only.
 */
export type ReassignButton =
  | { kind: 'menu'; customerId: number }
  | { kind: 'team'; customerId: number; teamKey: string }
  | { kind: 'when'; customerId: number; teamKey: string; when: 'now' | 'tonight' }
  | { kind: 'cancel'; customerId: number; reassignmentId: number }

const ID = /^\d{1,15}$/
const TEAM = /^[a-z0-9_-]{1,24}$/

export function encodeReassignButton(button: ReassignButton): string {
  switch (button.kind) {
    case 'menu':
      return `ra:m:${button.customerId}`
    case 'team':
      return `ra:t:${button.customerId}:${button.teamKey}`
    case 'when':
      return `ra:w:${button.customerId}:${button.teamKey}:${button.when}`
    case 'cancel':
      return `ra:c:${button.customerId}:${button.reassignmentId}`
  }
}

export function decodeReassignButton(data: string): ReassignButton | undefined {
  const [family, kind, customer, ...rest] = data.split(':')
  if (family !== 'ra' || !ID.test(customer ?? '')) return undefined
  const customerId = Number(customer)
  const [first, second] = rest
  if (kind === 'm' && rest.length === 0) return { kind: 'menu', customerId }
  if (kind === 't' && rest.length === 1 && TEAM.test(first!)) return { kind: 'team', customerId, teamKey: first! }
  if (kind === 'w' && rest.length === 2 && TEAM.test(first!) && (second === 'now' || second === 'tonight')) return { kind: 'when', customerId, teamKey: first!, when: second }
  if (kind === 'c' && rest.length === 1 && ID.test(first!)) return { kind: 'cancel', customerId, reassignmentId: Number(first) }
  return undefined
}

const keyboard = (rows: Array<Array<{ text: string; button: ReassignButton }>>): Keyboard => ({
  inline_keyboard: rows.map((row) => row.map(({ text, button }) => ({ text, callback_data: encodeReassignButton(button) }))),
})

/** The profile card's "Reassign CR" button. */
export const reassignMenuKeyboard = (customerId: number) => keyboard([[{ text: '🔀 Reassign CR', button: { kind: 'menu', customerId } }]])

/** One button per CR team the customer is not in. */
export const reassignTeamsKeyboard = (customerId: number, teams: Array<{ key: string; title: string }>) =>
  keyboard(teams.map((team) => [{ text: `→ ${team.title}`, button: { kind: 'team', customerId, teamKey: team.key } }]))

export const reassignWhenKeyboard = (customerId: number, teamKey: string, tonightHourUtc: number) =>
  keyboard([
    [
      { text: 'Now', button: { kind: 'when', customerId, teamKey, when: 'now' } },
      { text: `Tonight (${tonightHourUtc}:00 UTC)`, button: { kind: 'when', customerId, teamKey, when: 'tonight' } },
    ],
  ])

export const reassignCancelKeyboard = (customerId: number, reassignmentId: number) =>
  keyboard([[{ text: '✖ Cancel this move', button: { kind: 'cancel', customerId, reassignmentId } }]])
