/**
 * What a log line may say about the values it carries: ids and kinds, never message content. At
 * `debug`/`trace` (set deliberately) errors keep their query parameters and request payloads.
 * Secrets are handled on the finished line (src/redaction.ts), whatever carries them.
 */

/** Keys of error objects that carry content: drizzle's query parameters, mysql2's SQL with inlined values. */
const CONTENT_KEYS = new Set(['params', 'sql'])
const MAX_DEPTH = 8
const MAX_QUERY = 500

interface Shape {
  /** Keep parameters and payloads (debug level). */
  detail: boolean
}

/**
 * Copies a logged value with every Error turned into a plain object without content (see
 * `describeError`) and every Telegram update cut to its ids and kind; other values are kept.
 */
export function loggable(value: unknown, shape: Shape, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value
  // `seen` holds the ancestors only: a cycle is cut, a value logged twice is shown twice.
  if (depth > MAX_DEPTH || seen.has(value)) return '[…]'
  seen.add(value)
  try {
    return copy(value, shape, depth, seen)
  } finally {
    seen.delete(value)
  }
}

function copy(value: object, shape: Shape, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof Error) return describeError(value, shape, depth, seen)
  if (Array.isArray(value)) return value.map((item) => loggable(item, shape, depth + 1, seen))
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return value
  if (!shape.detail && isUpdate(value)) return updateSummary(value)
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = loggable(item, shape, depth + 1, seen)
  return out
}

/** The message an error may show: drizzle's without its parameter list, mysql2's without quoted values. */
export function loggableMessage(error: Error, shape: Shape): string {
  if (shape.detail) return error.message
  const fields = error as unknown as Record<string, unknown>
  if (typeof fields.query === 'string' && 'params' in fields) return `Failed query: ${fields.query.slice(0, MAX_QUERY)}`
  if (typeof fields.sqlState === 'string' || typeof fields.sqlMessage === 'string') return withoutSqlValues(error.message)
  return error.message
}

function describeError(error: Error, shape: Shape, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const message = loggableMessage(error, shape)
  const out: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message }
  if (error.stack) out.stack = message === error.message ? error.stack : error.stack.replace(error.message, message)
  for (const [key, item] of Object.entries(error)) {
    if (key === 'message' || key === 'stack') continue
    if (!shape.detail && CONTENT_KEYS.has(key)) continue
    if (!shape.detail && key === 'sqlMessage' && typeof item === 'string') out[key] = withoutSqlValues(item)
    else if (!shape.detail && key === 'payload' && item && typeof item === 'object') out[key] = payloadSummary(item as Record<string, unknown>)
    else out[key] = loggable(item, shape, depth + 1, seen)
  }
  // `cause` set by `new Error(…, { cause })` is not enumerable.
  if (error.cause !== undefined && !('cause' in out)) out.cause = loggable(error.cause, shape, depth + 1, seen)
  return out
}

// MariaDB quotes the offending value: "Duplicate entry 'zoe@example.com' for key …", "Incorrect string value: '\xF0…'".
const SQL_VALUE = /\b(entry|values?:?)\s+'(?:[^'\\]|\\.)*'/gi

function withoutSqlValues(message: string): string {
  return message.replace(SQL_VALUE, "$1 '…'")
}

function isUpdate(value: object): value is { update_id: number } {
  return typeof (value as { update_id?: unknown }).update_id === 'number'
}

/** An update as the log shows it: its id, its kind and the ids in it. */
function updateSummary(update: { update_id: number }): Record<string, unknown> {
  const kind = Object.keys(update).find((key) => key !== 'update_id')
  const body = (kind ? (update as unknown as Record<string, unknown>)[kind] : undefined) as
    { message_id?: number; chat?: { id?: number }; from?: { id?: number }; message_thread_id?: number } | undefined
  return { update_id: update.update_id, kind, chatId: body?.chat?.id, messageId: body?.message_id, threadId: body?.message_thread_id, fromId: body?.from?.id }
}

/** A Bot API request payload (GrammyError.payload) as the log shows it: its ids and the names of its other fields. */
function payloadSummary(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const fields: string[] = []
  for (const [key, item] of Object.entries(payload)) {
    if ((key === 'chat_id' || key.endsWith('_id')) && (typeof item === 'number' || typeof item === 'string')) out[key] = item
    else fields.push(key)
  }
  return { ...out, fields }
}
