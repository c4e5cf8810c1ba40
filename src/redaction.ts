/** What stands in for a secret in the log and in config errors. */
export const REDACTED = '[redacted]'

// grammY's request URL: <apiRoot>/bot<token>/<method>. Tokens always hold a ':' (123456:ABC-def),
// which keeps paths such as src/bots/… in stack traces readable.
const BOT_PATH = /\/bot[^/\s"'\\:]*:[^/\s"'\\]*\//g
// A bot token outside a URL (a config error quoting the file, say): the shape @BotFather hands out.
const TOKEN = /\b\d{5,}:[A-Za-z0-9_-]{30,}/g
// The password of a URL with credentials (mysql://user:password@host/db).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'\\]*:)[^\s@"'\\]+@/gi

/** Shorter strings are not redacted by value: they would blank unrelated words and numbers. */
const MIN_SECRET_LENGTH = 4

/**
 * Replaces every secret in `text`: the given values (configured tokens, passwords, substituted
 * `${VAR}` values; also as they look inside a JSON string), Bot API URLs with a token, anything
 * shaped like a bot token, and URL passwords.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text
  // Longest first: a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < MIN_SECRET_LENGTH) continue
    out = out.split(secret).join(REDACTED)
    const escaped = JSON.stringify(secret).slice(1, -1)
    if (escaped !== secret) out = out.split(escaped).join(REDACTED)
  }
  return out.replace(BOT_PATH, `/bot${REDACTED}/`).replace(TOKEN, REDACTED).replace(URL_PASSWORD, `$1${REDACTED}@`)
}
