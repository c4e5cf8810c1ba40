import { resolveByCommand } from '../../../domain/conversation/resolve.js'
import { answer, type TopicCommandHandler } from './types.js'

/** `/resolve` in a customer's topic (their owner or a CS lead): see domain/conversation/resolve. The topics are told; only a refusal is answered here. */
export const resolveCommand: TopicCommandHandler = async (command) => {
  const outcome = await resolveByCommand(command.ctx.deps, command.ctx.project, command.topic.customerId, command.ctx.from!.id)
  if (!outcome.ok) await answer(command, outcome.reason)
}
