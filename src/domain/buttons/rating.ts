import type { Keyboard } from './keyboard.js'

/**
 * The rating prompt's buttons in the client's private chat: `rt:<customerId>:<resolutionId>:<1-5>`,
 * where the resolution is the `resolved` row of the assignment log being rated. Pressed by the
 * client; bound to the prompt (its own keyboard), to the customer (the presser must be them, in
 * this project) and to their latest resolution.
 */
export type RatingPress = { customerId: number; resolutionId: number; rating: number }

export const RATINGS = [1, 2, 3, 4, 5] as const

export function encodeRatingPress(press: RatingPress): string {
  return `rt:${press.customerId}:${press.resolutionId}:${press.rating}`
}

export function decodeRatingPress(data: string): RatingPress | undefined {
  const [family, customer, resolution, rating, ...rest] = data.split(':')
  const id = /^\d{1,15}$/
  if (family !== 'rt' || !id.test(customer ?? '') || !id.test(resolution ?? '') || !/^[1-5]$/.test(rating ?? '') || rest.length > 0) return undefined
  return { customerId: Number(customer), resolutionId: Number(resolution), rating: Number(rating) }
}

/** One row of five buttons, 1 (poor) to 5 (excellent). */
export function ratingKeyboard(customerId: number, resolutionId: number): Keyboard {
  return { inline_keyboard: [RATINGS.map((rating) => ({ text: String(rating), callback_data: encodeRatingPress({ customerId, resolutionId, rating }) }))] }
}
