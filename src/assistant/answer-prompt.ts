import type { ConversationLine } from '../domain/assistant/suggestions.js'
import type { ChatMessage } from './provider.js'

/**
 * The prompt of an automatic answer. It holds ONLY the knowledge passages, the conversation and
 * the customer fields the project allows (`assistant.customerFields`): the model cannot state
 * account data it is not given, and it is told not to make any up. When retrieval is not confident
 * (`answer.when` allowed it anyway) the instructions make it say it does not know and that a
 * person will reply.
 */
export function answerPrompt(input: {
  projectName: string
  passages: string
  fields: Record<string, string>
  conversation: ReadonlyArray<Pick<ConversationLine, 'origin' | 'text'>>
  question: string
}): ChatMessage[] {
  const fieldLines = Object.entries(input.fields).map(([key, value]) => `${key}: ${value}`)
  const system = [
    `You are the support assistant of ${input.projectName}, answering a client in a chat.`,
    "Answer the client's last message briefly, using only the knowledge passages below; cite the passages you used as [id].",
    'If the passages do not answer it, say you do not know and that a person will reply soon.',
    'Never state account details (orders, payments, addresses, personal data) that are not written below.',
    fieldLines.length ? `What we know of the client:\n${fieldLines.join('\n')}` : 'You know nothing of the client beyond this conversation.',
    `Knowledge passages:\n${input.passages || '(none)'}`,
  ].join('\n\n')
  const turns: ChatMessage[] = input.conversation.map((turn) => ({ role: turn.origin === 'client' ? 'user' : 'assistant', content: turn.text }))
  // The question is the last user message (the conversation may already end with it).
  const last = turns.at(-1)
  if (!last || last.role !== 'user' || last.content !== input.question) turns.push({ role: 'user', content: input.question })
  return [{ role: 'system', content: system }, ...turns]
}

/** The passages an answer cites (`[id]`), else the best one when retrieval was confident: their citations. */
export function citedSources(text: string, passages: ReadonlyArray<{ id: number; citation: string }>, confident: boolean): string[] {
  const cited = new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))
  const sources = passages.filter((p) => cited.has(p.id)).map((p) => p.citation)
  if (sources.length === 0 && confident && passages[0]) sources.push(passages[0].citation)
  return [...new Set(sources)]
}

/** The answer as the client reads it: the `[id]` citations taken out (they name passages the client never sees). */
export function withoutCitations(text: string): string {
  return text
    .replace(/\s*\[\d+(?:,\s*\d+)*\]/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim()
}
