import { requestSummary } from '../../../domain/assistant/summaries.js'
import { answer, type TopicCommandHandler } from './types.js'

/** `/summary` in a customer's topic: the assistant's summary of the conversation, posted to the topic (see domain/assistant/summaries). */
export const summaryCommand: TopicCommandHandler = async (command) => {
  await answer(command, await requestSummary(command.ctx.deps, command.ctx.project, command.topic))
}
