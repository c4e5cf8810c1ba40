import { askAssistant } from '../../../domain/assistant/ask.js'
import { answer, type TopicCommandHandler } from './types.js'

/** `/ask <question>` in a customer's topic: "Thinking…" now, the assistant's answer (staff only) by its job. */
export const askCommand: TopicCommandHandler = async (command) => {
  const { ctx, topic, args, message } = command
  await answer(command, await askAssistant(ctx.deps, ctx.project, topic, args, message.message_id))
}
