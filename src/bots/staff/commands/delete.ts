import { deleteByCommand } from '../../../domain/relay/delete-command.js'
import { toInboundMessage } from '../../shared/inbound.js'
import { answer, type TopicCommandHandler } from './types.js'

/** `/delete` as a reply: removes a staff message everywhere (see domain/relay/delete-command). */
export const deleteCommand: TopicCommandHandler = async (command) => {
  const { ctx, message } = command
  const outcome = await deleteByCommand(ctx.deps, ctx.project, ctx.self.id, toInboundMessage(message))
  if (!outcome.ok) await answer(command, outcome.reason)
}
