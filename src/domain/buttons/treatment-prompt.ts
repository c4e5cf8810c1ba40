import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'

/**
 * The `/treatment` confirmation's buttons: `tr:<open|cancel>:<customerId>`. Pressed by CS and
 * CR staff; bound to the prompt (its own keyboard) and to the customer whose CS or CR topic it
 * is in.
 */
export type TreatmentAction = { action: 'open' | 'cancel'; customerId: number }

export const treatmentButtons = defineButtonFamily<TreatmentAction>({
  prefix: 'tr',
  schema: z.tuple([z.enum(['open', 'cancel']), buttonId]).transform(([action, customerId]) => ({ action, customerId })),
  parts: (action) => [action.action, action.customerId],
})

export const encodeTreatmentAction = treatmentButtons.encode
export const decodeTreatmentAction = treatmentButtons.decode

export function treatmentPromptKeyboard(customerId: number): Keyboard {
  return {
    inline_keyboard: [[treatmentButtons.button('Open Treatment topic', { action: 'open', customerId })], [treatmentButtons.button('Cancel', { action: 'cancel', customerId })]],
  }
}
