/**
 * How the fake provider answers: deterministically from the prompt, the first rule that applies
 * (the contract of /work/wt/ASSIST.md, kept here for the tests of every assistant feature):
 * 1. a scripted answer whose match (a substring or a RegExp) fits the last user message;
 * 2. passages in the prompt (`<passage id="N" source="…">text</passage>`, any message): the first
 *    sentence of the passage sharing the most words with the last user message, then ` [N]`
 *    (ties: the first); none shares a word: `I don't know.`;
 * 3. otherwise `I don't know.`
 */

export interface PromptMessage {
  role: string
  content: string
}

export interface ScriptedAnswer {
  match: string | RegExp
  text: string
}

export const DONT_KNOW = "I don't know."

// Attribute values may hold ">" (a citation "file#Section > Subsection"): attributes are read as quoted values.
const PASSAGE = /<passage\s+id="([^"]*)"(?:\s+[\w-]+="[^"]*")*\s*>([\s\S]*?)<\/passage>/g

/** Lowercased words (letters and digits of any script). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

export function answerPrompt(messages: PromptMessage[], scripted: readonly ScriptedAnswer[]): string {
  const question = [...messages].reverse().find((m) => m.role === 'user')?.content ?? ''
  for (const { match, text } of scripted) if (typeof match === 'string' ? question.includes(match) : match.test(question)) return text
  const passages = messages.flatMap((m) => [...m.content.matchAll(PASSAGE)].map(([, id, text]) => ({ id: id!, text: text!.trim() })))
  if (passages.length === 0) return DONT_KNOW
  const asked = new Set(wordsOf(question))
  let best: { id: string; text: string; shared: number } | undefined
  for (const passage of passages) {
    const shared = new Set(wordsOf(passage.text).filter((w) => asked.has(w))).size
    if (shared > 0 && (!best || shared > best.shared)) best = { ...passage, shared }
  }
  return best ? `${firstSentence(best.text)} [${best.id}]` : DONT_KNOW
}

/** Up to the first `.`, `!` or `?` followed by a space or the end (the whole text when none). */
function firstSentence(text: string): string {
  const end = /[.!?](\s|$)/.exec(text)
  return end ? text.slice(0, end.index + 1) : text
}

/** About four characters a token, as providers count English (deterministic, for the usage fields). */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}
