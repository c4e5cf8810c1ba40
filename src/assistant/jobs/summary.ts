import { customerForAnswer } from '../../domain/assistant/answers.js'
import { recentConversation } from '../../domain/assistant/suggestions.js'
import { postSummary, SUMMARY_JOB, type SummaryJobPayload } from '../../domain/assistant/summaries.js'
import { AssistantUnavailable } from '../provider.js'
import { defineAssistantJob } from './job.js'

/** What the summary prompt asks for; the transcript follows it in the same (last) user message. */
export const SUMMARY_REQUEST = 'Summarise this support conversation for a colleague who takes it over'

/**
 * A summary of a customer's conversation (`/summary`, and with `assistant.summaries` after a
 * transfer or a reassignment), posted to the staff topic only. The prompt holds the conversation's
 * texts and nothing of the customer's record. A failing provider posts a short apology for
 * `/summary` (someone waits for it) and nothing after a transfer.
 */
export const summaryJob = defineAssistantJob<SummaryJobPayload>(SUMMARY_JOB, async ({ project, provider, deps }, payload) => {
  const customer = await customerForAnswer(deps.db, project, payload.customerId)
  if (!customer) return { skipped: 'customer' }
  const turns = await recentConversation(deps.db, customer.id, 40)
  const transcript = turns.map((turn) => `${turn.origin === 'client' ? 'Client' : 'Staff'}: ${turn.text}`).join('\n')
  try {
    const summary = await provider.chat({
      purpose: 'summary',
      maxTokens: 300,
      messages: [
        {
          role: 'system',
          content:
            'You write short, factual summaries of support conversations: what the client wants, what was answered, what is still open. No account details beyond the conversation.',
        },
        { role: 'user', content: `${SUMMARY_REQUEST} (three sentences at most):\n${transcript || '(no messages)'}` },
      ],
    })
    return { posted: await postSummary(deps, project, payload, summary.text.trim()) }
  } catch (error) {
    if (error instanceof AssistantUnavailable && payload.occasion === 'command') await postSummary(deps, project, payload, undefined)
    throw error
  }
})
