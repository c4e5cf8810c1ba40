import { checkSuggestionFallback, showSuggestion, suggestionContext, type SuggestJobPayload } from '../../domain/assistant/suggestions.js'
import { queueAssistantJob } from '../../domain/assistant/jobs.js'
import { passagesForJob } from '../knowledge.js'
import { citationsOf, suggestPrompt } from '../prompts.js'
import { defineAssistantJob } from './job.js'

/** Tokens a suggestion may take (a chat reply, not an essay). */
const SUGGESTION_MAX_TOKENS = 400

/**
 * Suggest mode: a suggested reply to a client message, from the knowledge base's passages and the
 * recent conversation, shown to staff (never sent). Skipped when a newer client message came in;
 * a failing provider (`AssistantUnavailable`) ends the job with no suggestion.
 */
export const suggestJob = defineAssistantJob<SuggestJobPayload>('suggest', async (ctx, payload) => {
  const { project, provider, deps } = ctx
  const context = await suggestionContext(deps.db, project, payload)
  if (!context) return { skipped: 'superseded' }
  const passages = await passagesForJob(ctx, context.question, { limit: 4, customer: context.customer })
  const reply = await provider.chat({ purpose: 'suggest', messages: suggestPrompt(passages, context.conversation, context.question), maxTokens: SUGGESTION_MAX_TOKENS })
  const { text, sources } = citationsOf(reply.text, passages)
  if (!text) return { skipped: 'empty' }
  // The provider took a while: a client message that came meanwhile supersedes this one.
  if (!(await suggestionContext(deps.db, project, payload))) return { skipped: 'superseded' }
  const suggestionId = await showSuggestion(deps, project, { customer: context.customer, messageId: payload.messageId, text, sources })
  return { suggestionId, sources: sources.length }
})

/** Rounds of 2 s the fallback check waits for the ephemeral send to leave the outbox. */
const FALLBACK_ROUNDS = 30

/** A suggestion's ephemeral send refused: posted as a normal 🤖 message instead. Each round is queued with the customer (`customer forget` erases it). */
export const suggestFallbackJob = defineAssistantJob<{ suggestionId: number; round: number; customerId?: number }>('suggest_fallback', async ({ project, deps }, payload) => {
  const outcome = await checkSuggestionFallback(deps, project, payload.suggestionId)
  if (outcome === 'wait' && payload.round < FALLBACK_ROUNDS) {
    const dueAt = new Date(Date.now() + 2_000) // the worker compares with the database clock
    await deps.db.transaction((tx) =>
      queueAssistantJob(tx, project, { kind: 'suggest_fallback', payload: { ...payload, round: payload.round + 1 }, dueAt, customerId: payload.customerId }),
    )
  }
  return { outcome }
})
