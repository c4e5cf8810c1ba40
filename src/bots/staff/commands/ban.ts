import { setBanned } from '../../../domain/relay/ban.js'
import { answer, type TopicCommandHandler } from './types.js'

function banCommandFor(banned: boolean): TopicCommandHandler {
  return async (command) => {
    const outcome = await setBanned(command.ctx.deps, command.ctx.project, command.topic.customerId, command.ctx.from!.id, banned)
    await answer(command, outcome.ok ? outcome.text : outcome.reason)
  }
}

/** `/ban` in a customer's topic (CS leads): stop relaying the client's messages (see domain/relay/ban). */
export const banCommand = banCommandFor(true)

/** `/unban`: relay the client's messages again. */
export const unbanCommand = banCommandFor(false)
