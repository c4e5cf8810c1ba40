import type { Keyboard } from './keyboard.js'

/**
 * The `/transfer` prompt's buttons, bound to the customer and the target: an agent of the
 * customer's team (`tf:a:<customer>:<user>`, the owner or a CS lead presses) or another CR team
 * (`tf:t:<customer>:<team>`, CS leads: the reassignment "now", with its replay). Pressed only on
 * the prompt that carries them, in one of that customer's topics.
 */
export type TransferButton = { kind: 'agent'; customerId: number; userId: number } | { kind: 'team'; customerId: number; teamKey: string }

const ID = /^\d{1,15}$/
const TEAM = /^[a-z0-9_-]{1,24}$/

export function encodeTransferButton(button: TransferButton): string {
  return button.kind === 'agent' ? `tf:a:${button.customerId}:${button.userId}` : `tf:t:${button.customerId}:${button.teamKey}`
}

export function decodeTransferButton(data: string): TransferButton | undefined {
  const [family, kind, customer, target, ...rest] = data.split(':')
  if (family !== 'tf' || !ID.test(customer ?? '') || target === undefined || rest.length > 0) return undefined
  const customerId = Number(customer)
  if (kind === 'a' && ID.test(target)) return { kind: 'agent', customerId, userId: Number(target) }
  if (kind === 't' && TEAM.test(target)) return { kind: 'team', customerId, teamKey: target }
  return undefined
}

/** One row per agent ("→ Dave 🟢"), then one per other team for a lead ("🔀 CR South"). */
export function transferKeyboard(customerId: number, agents: Array<{ id: number; label: string }>, teams: Array<{ key: string; title: string }>): Keyboard {
  const row = (text: string, button: TransferButton) => [{ text, callback_data: encodeTransferButton(button) }]
  return {
    inline_keyboard: [
      ...agents.map((agent) => row(`→ ${agent.label}`, { kind: 'agent', customerId, userId: agent.id })),
      ...teams.map((team) => row(`🔀 ${team.title}`, { kind: 'team', customerId, teamKey: team.key })),
    ],
  }
}
