import { eq } from 'drizzle-orm'
import { messages } from '../../db/schema/index.js'
import { ANSWER_JOB, answerBlocker, isLatestClientMessage, answersWhenNotConfident, customerForAnswer, type AnswerJobPayload } from '../../domain/assistant/answers.js'
import { allowedCustomerFields, deliverAutomaticAnswer } from '../../domain/assistant/deliver-answer.js'
import { recentConversation } from '../../domain/assistant/suggestions.js'
import { citationOf, formatPassages, isConfident } from '../../domain/knowledge/index.js'
import { passagesForJob } from '../knowledge.js'
import { answerPrompt, citedSources, withoutCitations } from '../answer-prompt.js'
import { draftStreamer } from '../draft-stream.js'
import { findRiskPhrase } from '../../domain/risk/matcher.js'
import { riskBookOf } from '../../domain/risk/phrases.js'
import { defineAssistantJob } from './job.js'

/**
 * Answer mode (issue 19): the client bot answers a client's question itself when retrieval is
 * confident (or `answer.when` says so), streamed as drafts, then sent through the outbox with
 * "Talk to a person" and shown in the topics marked 🤖. Says nothing when a person wrote lately,
 * after a handover, or when the provider fails (the message is with the staff as any other).
 */
export const answerJob = defineAssistantJob<AnswerJobPayload>(ANSWER_JOB, async (ctx, payload) => {
  const { project, provider, deps, drafts } = ctx
  const customer = await customerForAnswer(deps.db, project, payload.customerId)
  const blocked = await answerBlocker(deps.db, project, customer, deps.clock.now())
  if (blocked) return { skipped: blocked }
  if (!(await isLatestClientMessage(deps.db, customer!.id, payload.messageRowId))) return { skipped: 'superseded' }
  const [question] = await deps.db.select({ text: messages.text }).from(messages).where(eq(messages.id, payload.messageRowId))
  if (!question?.text) return { skipped: 'no_text' }
  const passages = await passagesForJob(ctx, question.text, { limit: 4, customer: customer! })
  const confident = isConfident(project, passages)
  if (!confident && !answersWhenNotConfident(project, deps.clock.now())) return { skipped: 'not_confident' }
  const messagesOut = answerPrompt({
    projectName: project.config.name,
    passages: formatPassages(passages),
    fields: await allowedCustomerFields(deps.db, project, customer!),
    conversation: await recentConversation(deps.db, customer!.id),
    question: question.text,
  })
  const risky = (soFar: string) => findRiskPhrase(riskBookOf(project), soFar) !== undefined // kept back when delivered (deliverAutomaticAnswer)
  const streamer = draftStreamer(drafts, customer!.clientBotId, customer!.telegramUserId, payload.messageRowId, risky)
  const answer = await provider.stream({ purpose: 'answer', messages: messagesOut, maxTokens: 400 }, (soFar) => streamer.onText(withoutCitations(soFar)))
  const draftsSent = await streamer.done()
  const text = answer.text.trim()
  if (!text) return { skipped: 'empty' }
  const sources = citedSources(
    text,
    passages.map((p) => ({ id: p.id, citation: citationOf(p) })),
    confident,
  )
  // The client reads the answer without the passages' ids; the topics see the sources by name.
  const said = withoutCitations(text) || text
  const outcome = await deliverAutomaticAnswer(deps, project, { customerId: customer!.id, messageRowId: payload.messageRowId, text: said, sources, confident })
  return { ...outcome, drafts: draftsSent }
})
