import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'

/**
 * A broadcast's confirmation buttons, pressed by CS leads on the confirmation in the CS group:
 * `bc:go:<broadcast>` starts it, `bc:x:<broadcast>` cancels it (before it starts, or what is unsent).
 */
export type BroadcastButton = { action: 'go' | 'x'; broadcastId: number }

export const broadcastButtons = defineButtonFamily<BroadcastButton>({
  prefix: 'bc',
  schema: z.tuple([z.enum(['go', 'x']), buttonId]).transform(([action, broadcastId]) => ({ action, broadcastId })),
  parts: (button) => [button.action, button.broadcastId],
})

/** Confirm / Cancel under a counted broadcast. */
export function confirmKeyboard(project: ProjectRuntime, broadcastId: number, recipients: number): Keyboard {
  const t = textsOf(project)
  return {
    inline_keyboard: [
      [
        broadcastButtons.button(t.staff('broadcastConfirmButton', { recipients }), { action: 'go', broadcastId }),
        broadcastButtons.button(t.staff('broadcastCancelButton'), { action: 'x', broadcastId }),
      ],
    ],
  }
}

/** Cancel alone, while a broadcast is sending. */
export function cancelKeyboard(project: ProjectRuntime, broadcastId: number): Keyboard {
  return { inline_keyboard: [[broadcastButtons.button(textsOf(project).staff('broadcastCancelButton'), { action: 'x', broadcastId })]] }
}
