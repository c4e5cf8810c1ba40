import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'

/**
 * The rating prompt's buttons in the client's private chat: `rt:<customerId>:<resolutionId>:<1-5>`,
 * where the resolution is the `resolved` row of the assignment log being rated. Pressed by the
 * client; bound to the prompt (its own keyboard), to the customer (the presser must be them, in
 * this project) and to their latest resolution.
 */
export type RatingPress = { customerId: number; resolutionId: number; rating: number }

export const RATINGS = [1, 2, 3, 4, 5] as const

export const ratingButtons = defineButtonFamily<RatingPress>({
  prefix: 'rt',
  schema: z
    .tuple([
      buttonId,
      buttonId,
      z
        .string()
        .regex(/^[1-5]$/)
        .transform(Number),
    ])
    .transform(([customerId, resolutionId, rating]) => ({ customerId, resolutionId, rating })),
  parts: (press) => [press.customerId, press.resolutionId, press.rating],
})

export const encodeRatingPress = ratingButtons.encode
export const decodeRatingPress = ratingButtons.decode

/** One row of five buttons, 1 (poor) to 5 (excellent). */
export function ratingKeyboard(customerId: number, resolutionId: number): Keyboard {
  return { inline_keyboard: [RATINGS.map((rating) => ratingButtons.button(String(rating), { customerId, resolutionId, rating }))] }
}
