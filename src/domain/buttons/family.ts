import { z } from 'zod'
import type { Keyboard } from './keyboard.js'

/**
 * Telegram's limit on a button's callback_data (InlineKeyboardButton: "1-64 bytes"). Checked here
 * only: every family encodes and decodes through `defineButtonFamily`.
 */
export const CALLBACK_DATA_MAX_BYTES = 64

/** Why data is not a button of a family: another prefix, over Telegram's limit, or not its schema. */
export type ButtonRefusal = 'prefix' | 'length' | 'schema'

export type ButtonReading<T> = { ok: true; value: T } | { ok: false; reason: ButtonRefusal }

/**
 * One family of buttons: data is `<prefix>:<part>:<part>…`; the parts after the prefix are read
 * by a zod schema (strings in, the family's value out), so forged or stale data is refused in one
 * place, before a handler sees it.
 */
export interface ButtonFamily<T> {
  readonly prefix: string
  /** The callback_data of a button; throws when it would break Telegram's limit (a codec bug). */
  encode: (value: T) => string
  /** The value a press carries, or undefined for data that is not a valid button of this family. */
  decode: (data: string) => T | undefined
  /** Like decode, with the reason data is refused (for logs and tests). */
  validate: (data: string) => ButtonReading<T>
  /** An inline keyboard button of this family. */
  button: (text: string, value: T) => Keyboard['inline_keyboard'][number][number]
}

export interface ButtonFamilySpec<T> {
  /** Two lowercase letters, unique among families (the bots route presses on it). */
  prefix: string
  /** Reads the parts after the prefix; must refuse anything `parts` does not produce. */
  schema: z.ZodType<T>
  /** The parts after the prefix (no ':' inside a part). */
  parts: (value: T) => Array<string | number>
}

/** A database id as a button carries it: 1 to 15 digits, so it fits a JS number exactly. */
export const buttonId = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number)

/** A team key as a button carries it (config keys are short lowercase words). */
export const buttonTeamKey = z.string().regex(/^[a-z0-9_-]{1,24}$/)

/** Defines a button family: the codec its keyboards are built with and its presses are read with. */
export function defineButtonFamily<T>(spec: ButtonFamilySpec<T>): ButtonFamily<T> {
  if (!/^[a-z]{2}$/.test(spec.prefix)) throw new Error(`button prefix ${spec.prefix} is not two lowercase letters`)
  const head = `${spec.prefix}:`
  const validate = (data: string): ButtonReading<T> => {
    if (!data.startsWith(head)) return { ok: false, reason: 'prefix' }
    if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) return { ok: false, reason: 'length' }
    const read = spec.schema.safeParse(data.slice(head.length).split(':'))
    return read.success ? { ok: true, value: read.data } : { ok: false, reason: 'schema' }
  }
  const encode = (value: T): string => {
    const parts = spec.parts(value).map(String)
    if (parts.some((part) => part.includes(':'))) throw new Error(`a ${spec.prefix} button part contains ':'`)
    const data = head + parts.join(':')
    if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) throw new Error(`a ${spec.prefix} button is over ${CALLBACK_DATA_MAX_BYTES} bytes`)
    return data
  }
  return {
    prefix: spec.prefix,
    encode,
    validate,
    decode: (data) => {
      const reading = validate(data)
      return reading.ok ? reading.value : undefined
    },
    button: (text, value) => ({ text, callback_data: encode(value) }),
  }
}
