import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'

/**
 * The `/queue` listing's buttons: `qa:<customerId>:<agentId>` gives a waiting customer to an
 * agent. Pressed by CS leads; bound to the listing that carries the data (pressed-message) and,
 * in the domain, to a customer of the pressing bot's project who is still waiting.
 */
export type QueueAssignButton = { customerId: number; agentId: number }

export const queueAssignButtons = defineButtonFamily<QueueAssignButton>({
  prefix: 'qa',
  schema: z.tuple([buttonId, buttonId]).transform(([customerId, agentId]) => ({ customerId, agentId })),
  parts: (button) => [button.customerId, button.agentId],
})

export const encodeQueueAssign = queueAssignButtons.encode
export const decodeQueueAssign = queueAssignButtons.decode

/** One row per waiting customer: their place in the list, then a button per agent who can take them. */
export function queueKeyboard(rows: Array<{ place: number; customerId: number; agents: Array<{ id: number; name: string }> }>): Keyboard {
  return {
    inline_keyboard: rows
      .filter((row) => row.agents.length > 0)
      .map((row) => row.agents.map((agent) => queueAssignButtons.button(`${row.place} → ${agent.name}`, { customerId: row.customerId, agentId: agent.id }))),
  }
}
