import type { ConversationLine } from '../domain/assistant/suggestions.js'
import { citationOf, formatPassages, type Passage } from '../domain/knowledge/index.js'
import type { ChatMessage } from './provider.js'

const SUGGEST_SYSTEM = [
  'You draft the next reply of a support agent to a customer, for the agent to check before sending.',
  'Answer only from the passages of the knowledge base below; cite each passage you use as [N] (its id).',
  "If the passages do not answer the question, say you don't know. Never invent account data.",
  'Write the reply itself, short and polite, in the language of the customer.',
].join(' ')

const ASK_SYSTEM = [
  'You answer a question of a support agent (not a customer) from the passages of the knowledge base below.',
  "Cite each passage you use as [N] (its id). If the passages do not answer it, say you don't know.",
].join(' ')

/** The suggestion prompt: instructions and passages, the recent conversation, then the client's last message as the question. */
export function suggestPrompt(passages: readonly Passage[], conversation: readonly ConversationLine[], question: string): ChatMessage[] {
  const earlier = conversation.slice(0, -1).map((line): ChatMessage => ({ role: line.origin === 'client' ? 'user' : 'assistant', content: line.text }))
  return [{ role: 'system', content: `${SUGGEST_SYSTEM}\n\n${formatPassages(passages)}` }, ...earlier, { role: 'user', content: question }]
}

/** The `/ask` prompt: instructions and passages, then the agent's question. */
export function askPrompt(passages: readonly Passage[], question: string): ChatMessage[] {
  return [
    { role: 'system', content: `${ASK_SYSTEM}\n\n${formatPassages(passages)}` },
    { role: 'user', content: question },
  ]
}

/** The answer without its `[N]` markers, and the citations (file#section) of the passages it names, in order. */
export function citationsOf(answer: string, passages: readonly Passage[]): { text: string; sources: string[] } {
  const ids = [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))
  const sources = [...new Set(ids.flatMap((id) => passages.filter((p) => p.id === id).map(citationOf)))]
  return { text: answer.replace(/\s*\[\d+\]/g, '').trim(), sources }
}
