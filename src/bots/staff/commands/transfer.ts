import { transferPrompt } from '../../../domain/owners/transfer.js'
import { answer, type TopicCommandHandler } from './types.js'

/** `/transfer [reason]` in a customer's topic: buttons of the agents (and, for CS leads, the teams) to hand the customer to. */
export const transferCommand: TopicCommandHandler = async (command) => {
  const { ctx, topic, args } = command
  const prompt = await transferPrompt(ctx.deps.db, ctx.project, { customerId: topic.customerId, by: ctx.from!.id, reason: args, now: ctx.deps.clock.now() })
  await answer(command, prompt.ok ? prompt.text : prompt.reason, prompt.ok ? { reply_markup: prompt.keyboard } : {})
}
