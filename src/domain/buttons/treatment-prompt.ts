import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'

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

export function treatmentPromptKeyboard(project: ProjectRuntime, customerId: number): Keyboard {
  const t = textsOf(project)
  return {
    inline_keyboard: [
      [treatmentButtons.button(t.staff('treatmentOpenButton'), { action: 'open', customerId })],
      [treatmentButtons.button(t.staff('treatmentCancelButton'), { action: 'cancel', customerId })],
    ],
  }
}
