import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'

/**
 * The onboarding card's buttons: `as:<assignmentId>:cr:<team>`, `as:<assignmentId>:tr`,
 * `as:<assignmentId>:rej` (≤ 64 bytes). Pressed by CS leads; bound to the card (the assignment
 * records the card's message) and through the assignment to its customer.
 */
export type CardAction = { assignmentId: number } & ({ action: 'assign'; teamKey: string } | { action: 'treatment' } | { action: 'reject' })

export const cardButtons = defineButtonFamily<CardAction>({
  prefix: 'as',
  schema: z.union([
    z.tuple([buttonId, z.literal('cr'), z.string().regex(/^[a-z0-9_-]{1,64}$/)]).transform(([assignmentId, , teamKey]) => ({ assignmentId, action: 'assign' as const, teamKey })),
    z.tuple([buttonId, z.literal('tr')]).transform(([assignmentId]) => ({ assignmentId, action: 'treatment' as const })),
    z.tuple([buttonId, z.literal('rej')]).transform(([assignmentId]) => ({ assignmentId, action: 'reject' as const })),
  ]),
  parts: (action) => (action.action === 'assign' ? [action.assignmentId, 'cr', action.teamKey] : [action.assignmentId, action.action === 'treatment' ? 'tr' : 'rej']),
})

export const encodeCardAction = cardButtons.encode
export const decodeCardAction = cardButtons.decode
