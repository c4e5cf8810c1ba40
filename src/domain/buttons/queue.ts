import type { Keyboard } from './keyboard.js'

/**
 * The `/queue` listing's buttons: `qa:<customerId>:<agentId>` gives a waiting customer to an
 * agent. Pressed by CS leads; bound to the listing that carries the data (pressed-message) and,
 * in the domain, to a customer of the pressing bot's project who is still waiting.
 */
export type QueueAssignButton = { customerId: number; agentId: number }

const ID = /^\d{1,15}$/

export function encodeQueueAssign(button: QueueAssignButton): string {
  return `qa:${button.customerId}:${button.agentId}`
}

export function decodeQueueAssign(data: string): QueueAssignButton | undefined {
  const [family, customer, agent, ...rest] = data.split(':')
  if (family !== 'qa' || !ID.test(customer ?? '') || !ID.test(agent ?? '') || rest.length > 0) return undefined
  return { customerId: Number(customer), agentId: Number(agent) }
}

/** One row per waiting customer: their place in the list, then a button per agent who can take them. */
export function queueKeyboard(rows: Array<{ place: number; customerId: number; agents: Array<{ id: number; name: string }> }>): Keyboard {
  return {
    inline_keyboard: rows
      .filter((row) => row.agents.length > 0)
      .map((row) => row.agents.map((agent) => ({ text: `${row.place} → ${agent.name}`, callback_data: encodeQueueAssign({ customerId: row.customerId, agentId: agent.id }) }))),
  }
}
