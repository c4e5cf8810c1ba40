import { badRequest, type ApiError } from '../api-error.js'

/** Byte offset of a UTF-16 index, as Telegram reports positions in parse errors. */
export function byteOffset(input: string, index: number): number {
  return Buffer.byteLength(input.slice(0, index), 'utf8')
}

export function parseError(text: string): ApiError {
  return badRequest(`can't parse entities: ${text}`)
}
