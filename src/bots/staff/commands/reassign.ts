import { findCustomer } from '../../../domain/customers.js'
import { refusalFor } from '../../../domain/permissions.js'
import { homeRole } from '../../../domain/roles.js'
import { parseWhen } from '../../../domain/reassignment/when.js'
import { reassign, teamKeyboard } from '../reassign-feature.js'
import { reassignCancelKeyboard } from '../../../domain/buttons/reassign.js'
import { answer, type TopicCommandHandler } from './types.js'

/**
 * `/reassign` in the customer's CS topic: CR team buttons; or directly
 * `/reassign <team> [now|tonight|YYYY-MM-DD HH:MM]` (UTC).
 */
export const reassignCommand: TopicCommandHandler = async (command) => {
  const { ctx, topic, args } = command
  if (topic.role !== homeRole(ctx.project.roles).key) return answer(command, 'Use /reassign in the customer’s CS topic.')
  const refusal = refusalFor(ctx.project, ctx.from!.id, 'reassign_customer')
  if (refusal) return answer(command, refusal)
  const customer = await findCustomer(ctx.deps.db, topic.customerId)
  if (!customer) return answer(command, 'This customer no longer exists.')
  const [teamKey, ...rest] = args.split(/\s+/).filter(Boolean)
  if (!teamKey) return answer(command, 'Move this customer to which CR team?', { reply_markup: teamKeyboard(ctx, customer) })
  const when = parseWhen(rest.join(' '), ctx.deps.clock.now())
  if (!when) return answer(command, 'When? Write now, tonight, or a future date like 2026-12-01 09:00 (UTC).')
  const result = await reassign(ctx, customer, teamKey.toLowerCase(), when)
  return answer(command, result.text, result.cancelId ? { reply_markup: reassignCancelKeyboard(command.ctx.project, customer.id, result.cancelId) } : {})
}
