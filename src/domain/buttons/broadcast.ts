import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'
import { broadcastTexts } from '../broadcasts/texts.js'

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
export function confirmKeyboard(broadcastId: number, recipients: number): Keyboard {
  return {
    inline_keyboard: [
      [
        broadcastButtons.button(broadcastTexts.confirmButton(recipients), { action: 'go', broadcastId }),
        broadcastButtons.button(broadcastTexts.cancelButton, { action: 'x', broadcastId }),
      ],
    ],
  }
}

/** Cancel alone, while a broadcast is sending. */
export function cancelKeyboard(broadcastId: number): Keyboard {
  return { inline_keyboard: [[broadcastButtons.button(broadcastTexts.cancelButton, { action: 'x', broadcastId })]] }
}
