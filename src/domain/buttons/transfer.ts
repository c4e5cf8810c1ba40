import { z } from 'zod'
import { buttonId, buttonTeamKey, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'

/**
 * The `/transfer` prompt's buttons, bound to the customer and the target: an agent of the
 * customer's team (`tf:a:<customer>:<user>`, the owner or a CS lead presses; `tf:n:<prompt>:<customer>:<user>`
 * when the prompt was given a reason, kept in its `transfer_prompts` row) or another CR team
 * (`tf:t:<customer>:<team>`, CS leads: the reassignment "now", with its replay). Pressed only on
 * the prompt that carries them, in one of that customer's topics.
 */
export type TransferButton = { kind: 'agent'; customerId: number; userId: number; promptId?: number } | { kind: 'team'; customerId: number; teamKey: string }

export const transferButtons = defineButtonFamily<TransferButton>({
  prefix: 'tf',
  schema: z.union([
    z.tuple([z.literal('a'), buttonId, buttonId]).transform(([, customerId, userId]) => ({ kind: 'agent' as const, customerId, userId })),
    z.tuple([z.literal('n'), buttonId, buttonId, buttonId]).transform(([, promptId, customerId, userId]) => ({ kind: 'agent' as const, customerId, userId, promptId })),
    z.tuple([z.literal('t'), buttonId, buttonTeamKey]).transform(([, customerId, teamKey]) => ({ kind: 'team' as const, customerId, teamKey })),
  ]),
  parts: (button) =>
    button.kind === 'team'
      ? ['t', button.customerId, button.teamKey]
      : button.promptId === undefined
        ? ['a', button.customerId, button.userId]
        : ['n', button.promptId, button.customerId, button.userId],
})

export const encodeTransferButton = transferButtons.encode
export const decodeTransferButton = transferButtons.decode

/** One row per agent ("→ Dave 🟢"), then one per other team for a lead ("🔀 CR South"); labels as the caller words them. */
export function transferKeyboard(customerId: number, agents: Array<{ id: number; label: string }>, teams: Array<{ key: string; label: string }>, promptId?: number): Keyboard {
  return {
    inline_keyboard: [
      ...agents.map((agent) => [transferButtons.button(agent.label, { kind: 'agent', customerId, userId: agent.id, ...(promptId === undefined ? {} : { promptId }) })]),
      ...teams.map((team) => [transferButtons.button(team.label, { kind: 'team', customerId, teamKey: team.key })]),
    ],
  }
}
