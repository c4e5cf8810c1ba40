import { randomBytes } from 'node:crypto'

/** A link's code in its URL: 8 characters of A-Za-z0-9_- (48 random bits). */
export const newLinkCode = (): string => randomBytes(6).toString('base64url')

/** A click's token: the client bot's start parameter (Telegram allows 1–64 of A-Za-z0-9_-), 22 characters. */
export const newClickToken = (): string => randomBytes(16).toString('base64url')

/** What a click token looks like; anything else a client types after /start is a plain start payload. */
export const CLICK_TOKEN = /^[A-Za-z0-9_-]{22}$/

/** A link code as it may appear in a URL. */
export const LINK_CODE = /^[A-Za-z0-9_-]{1,16}$/
