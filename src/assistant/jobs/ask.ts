import { postAskAnswer, type AskJobPayload } from '../../domain/assistant/ask.js'
import { passagesForJob } from '../knowledge.js'
import { textsOf } from '../../domain/project-runtime.js'
import { askPrompt, citationsOf } from '../prompts.js'
import { AssistantUnavailable } from '../provider.js'
import { defineAssistantJob } from './job.js'

/** `/ask`: the assistant answers staff in the topic, with the knowledge base's citations; a failing provider says so politely. */
export const askJob = defineAssistantJob<AskJobPayload>('ask', async (ctx, payload) => {
  const { project, provider, deps } = ctx
  const t = textsOf(project)
  const passages = await passagesForJob(ctx, payload.question, { limit: 4 })
  try {
    const reply = await provider.chat({ purpose: 'ask', messages: askPrompt(passages, payload.question), maxTokens: 600 })
    const { text, sources } = citationsOf(reply.text, passages)
    const cited = sources.length ? `\n\n${t.staff('suggestionSources', { sources: sources.join(', ') })}` : ''
    await postAskAnswer(deps, project, payload, `${t.staff('askAnswerTitle')}\n\n${text}${cited}`)
    return { sources: sources.length }
  } catch (error) {
    if (error instanceof AssistantUnavailable) await postAskAnswer(deps, project, payload, t.staff('askUnavailable'))
    throw error
  }
})
