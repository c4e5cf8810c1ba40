import { assignmentHistory } from '../../../domain/assignment-log.js'
import { answer, type TopicCommandHandler } from './types.js'

/** `/history`: the customer's assignment log (onboarding, reassignments, Treatment). */
export const historyCommand: TopicCommandHandler = async (command) => {
  const { ctx, topic } = command
  const lines = await assignmentHistory(ctx.deps.db, ctx.project, topic.customerId)
  await answer(command, lines.length ? ['Assignment history:', ...lines].join('\n').slice(0, 4000) : 'No assignment changes recorded yet.')
}
