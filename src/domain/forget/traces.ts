import type { ForgetSubject, Traces } from './outbox-rows.js'

/**
 * What names the customer unmistakably in a text: their Telegram id ("id 4711"), a link to one of
 * their topics, their account's email, their @username. Their name alone is not enough (two
 * customers may share it).
 */
function tracePatterns(subject: ForgetSubject, traces: Traces): RegExp[] {
  return [
    new RegExp(`\\bid:? ${subject.telegramUserId}\\b`),
    ...traces.topicLinks.map((link) => new RegExp(`${escapeRegExp(link)}(?!\\d)`)),
    // Whole addresses only: not joann@… for ann@…, nor ann@example.com.au.
    ...(traces.email ? [new RegExp(`(?<![\\w.+-])${escapeRegExp(traces.email)}(?![\\w-]|\\.\\w)`, 'i')] : []),
    // A mention, not the domain of an email (alice@bob.com is not @bob).
    ...(subject.username ? [new RegExp(`(?<![\\w.+-])@${escapeRegExp(subject.username)}\\b`, 'i')] : []),
  ]
}

/** A text names the customer (see `tracePatterns`). */
export function namesCustomer(text: string, subject: ForgetSubject, traces: Traces): boolean {
  return tracePatterns(subject, traces).some((pattern) => pattern.test(text))
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
