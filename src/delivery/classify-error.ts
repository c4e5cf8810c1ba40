import { GrammyError, HttpError } from 'grammy'

/** What the outbox should do about a failed Telegram call (see shared/telegram-facts.md). */
export type FailureClass =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'transient' }
  /** A network failure after the request may have reached Telegram: re-sending may duplicate. */
  | { kind: 'uncertain' }
  /** 401: the bot's token is refused (revoked). Its rows wait for a new token, uncounted. */
  | { kind: 'unauthorized' }
  | { kind: 'blocked' }
  /** A private message to someone who never opened a chat with the bot (an agent, say). */
  | { kind: 'never_started' }
  | { kind: 'topic_missing' }
  | { kind: 'topic_closed' }
  | { kind: 'reply_target_gone' }
  | { kind: 'parse_error' }
  | { kind: 'not_modified' }
  | { kind: 'cannot_edit' }
  | { kind: 'already_deleted' }
  | { kind: 'no_rights' }
  | { kind: 'permanent' }

/** Raised when a job cannot be done and must not be retried (its reason goes to the dead letter list). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError'
}

export function classifyTelegramError(error: unknown): FailureClass {
  if (error instanceof HttpError) return requestNeverSent(error.error) ? { kind: 'transient' } : { kind: 'uncertain' }
  if (!(error instanceof GrammyError)) return { kind: 'permanent' }
  const code = error.error_code
  const text = error.description
  if (code === 401) return { kind: 'unauthorized' }
  if (code === 429) return { kind: 'rate_limited', retryAfterSeconds: error.parameters.retry_after ?? 1 }
  if (code >= 500) return { kind: 'transient' }
  if (code === 403) {
    if (/bot was blocked by the user|user is deactivated/.test(text)) return { kind: 'blocked' }
    if (/bot can't initiate conversation with a user/.test(text)) return { kind: 'never_started' }
    return { kind: 'no_rights' }
  }
  if (/message thread not found|TOPIC_ID_INVALID|TOPIC_DELETED/i.test(text)) return { kind: 'topic_missing' }
  if (/TOPIC_CLOSED/.test(text)) return { kind: 'topic_closed' }
  if (/message to be replied not found|message to reply not found|replied message not found/.test(text)) return { kind: 'reply_target_gone' }
  // A text_mention of a user the bot has no access to is refused like bad formatting (tdlib MessageEntity.cpp): the text goes without entities.
  if (/can't parse entities|have no access to the user/i.test(text)) return { kind: 'parse_error' }
  if (/message is not modified/.test(text)) return { kind: 'not_modified' }
  if (/message to edit not found|message can't be edited/.test(text)) return { kind: 'cannot_edit' }
  if (/message to delete not found/.test(text)) return { kind: 'already_deleted' }
  if (/not enough rights|the chat is not a forum|have no rights|have no write access to the chat|CHAT_WRITE_FORBIDDEN|CHAT_ADMIN_REQUIRED|chat not found/.test(text))
    return { kind: 'no_rights' }
  return { kind: 'permanent' }
}

/** Connection-level failures that happen before a request is written: retrying cannot duplicate. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

function requestNeverSent(cause: unknown): boolean {
  for (let current = cause, depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** One line for the log and the dead letter list; an upgraded group's new chat id is kept (the config needs it). */
export function describeError(error: unknown): string {
  if (error instanceof GrammyError) {
    const upgraded = error.parameters.migrate_to_chat_id
    return `${error.method}: ${error.error_code} ${error.description}${upgraded ? ` (new chat id ${upgraded})` : ''}`
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}
