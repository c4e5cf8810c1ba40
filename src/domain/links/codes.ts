import { randomBytes } from 'node:crypto'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A link's code in its URL: 8 letters and digits (about 47 random bits; no "-" that a command line would read as an option). */
export function newLinkCode(): string {
  let code = ''
  while (code.length < 8) {
    // Bytes past the last whole multiple of 62 are dropped, so every character is equally likely.
    for (const byte of randomBytes(16)) if (byte < 248 && code.length < 8) code += ALPHANUMERIC[byte % 62]
  }
  return code
}

/** A click's token: the client bot's start parameter (Telegram allows 1–64 of A-Za-z0-9_-), 22 characters. */
export const newClickToken = (): string => randomBytes(16).toString('base64url')

/** What a click token looks like; anything else a client types after /start is a plain start payload. */
export const CLICK_TOKEN = /^[A-Za-z0-9_-]{22}$/

/** A link code as it may appear in a URL. */
export const LINK_CODE = /^[A-Za-z0-9_-]{1,16}$/
