import type { InlineKeyboardMarkup } from 'grammy/types'
import type { StaffMember } from '../project-runtime.js'

/** Callback data of the `/treatment` confirmation: `tr:<open|cancel>:<customerId>` (well under 64 bytes). */
export type TreatmentAction = { action: 'open' | 'cancel'; customerId: number }

export function encodeTreatmentAction(action: TreatmentAction): string {
  return `tr:${action.action}:${action.customerId}`
}

export function decodeTreatmentAction(data: string): TreatmentAction | undefined {
  const match = /^tr:(open|cancel):(\d{1,15})$/.exec(data)
  if (!match) return undefined
  return { action: match[1] as TreatmentAction['action'], customerId: Number(match[2]) }
}

export function treatmentPromptKeyboard(customerId: number): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [{ text: 'Open Treatment topic', callback_data: encodeTreatmentAction({ action: 'open', customerId }) }],
      [{ text: 'Cancel', callback_data: encodeTreatmentAction({ action: 'cancel', customerId }) }],
    ],
  }
}

/** Opening Treatment is a CS or CR decision; Treatment staff work in the topic once it exists. */
export function mayOpenTreatment(member: StaffMember | undefined): boolean {
  return member?.roles.some((role) => role === 'cs' || role === 'cs_lead' || role === 'cr') ?? false
}
