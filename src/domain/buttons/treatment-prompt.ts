import type { Keyboard } from './keyboard.js'

/**
 * The `/treatment` confirmation's buttons: `tr:<open|cancel>:<customerId>`. Pressed by CS and
 * CR staff; bound to the prompt (its own keyboard) and to the customer whose CS or CR topic it
 * is in.
 */
export type TreatmentAction = { action: 'open' | 'cancel'; customerId: number }

export function encodeTreatmentAction(action: TreatmentAction): string {
  return `tr:${action.action}:${action.customerId}`
}

export function decodeTreatmentAction(data: string): TreatmentAction | undefined {
  const [family, action, id, ...rest] = data.split(':')
  if (family !== 'tr' || (action !== 'open' && action !== 'cancel') || !/^\d{1,15}$/.test(id ?? '') || rest.length > 0) return undefined
  return { action, customerId: Number(id) }
}

export function treatmentPromptKeyboard(customerId: number): Keyboard {
  return {
    inline_keyboard: [
      [{ text: 'Open Treatment topic', callback_data: encodeTreatmentAction({ action: 'open', customerId }) }],
      [{ text: 'Cancel', callback_data: encodeTreatmentAction({ action: 'cancel', customerId }) }],
    ],
  }
}
