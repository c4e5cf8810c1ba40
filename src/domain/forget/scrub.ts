/** What an erased text reads afterwards (an outbox job's text, a stored error). */
export const ERASED = '(erased)'

/** The payload that replaces an erased stored update or message. */
export const ERASED_PAYLOAD = JSON.stringify({ erased: true })

/** Strings that only name a shape (a job's or a target's kind), never a person. */
const STRUCTURAL_KEYS = new Set(['type', 'kind'])
/** Formatting and keyboards: offsets into erased text, button labels (names, teams). */
const DROPPED_KEYS = new Set(['entities', 'caption_entities', 'replyMarkup', 'reply_markup'])

/**
 * A stored JSON value (an outbox job, a send's result) with everything that could be personal
 * taken out: every string but the shape's own `type`/`kind` reads ERASED, formatting and
 * keyboards go, and the customer's Telegram id is dropped. Numbers (row ids, message ids,
 * dates) stay, so the anonymous row still says what it was.
 */
export function scrubJson(value: unknown, telegramUserId: number, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && STRUCTURAL_KEYS.has(key) ? value : ERASED
  if (typeof value === 'number') return value === telegramUserId ? null : value
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, telegramUserId))
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([inner]) => !DROPPED_KEYS.has(inner))
      .map(([inner, item]) => [inner, scrubJson(item, telegramUserId, inner)]),
  )
}

/** Scrubs a stored JSON text (see `scrubJson`); text that is not JSON is erased whole. */
export function scrubJsonText(text: string | null, telegramUserId: number): string | null {
  if (text === null) return null
  const parsed = parseJson(text)
  return typeof parsed === 'string' ? JSON.stringify(ERASED) : JSON.stringify(scrubJson(parsed, telegramUserId))
}

/** Parses stored JSON; a text that is not JSON comes back as it is. */
export function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
