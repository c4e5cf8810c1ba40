import { closeTreatment } from '../../../domain/treatment/close-treatment.js'
import { refusalFor } from '../../../domain/permissions.js'
import { onDemandRole, teamsRole } from '../../../domain/roles.js'
import { treatmentPromptKeyboard } from '../../../domain/buttons/treatment-prompt.js'
import { activeTreatmentTopic } from '../../../domain/treatment/treatment-topic.js'
import { answer, type TopicCommand, type TopicCommandHandler } from './types.js'

/**
 * `/treatment` (in the customer's CS or CR topic) asks for a confirmation before opening a
 * Treatment topic; `/treatment close` (there or in the Treatment topic) ends it.
 */
export const treatmentCommand: TopicCommandHandler = async (command) => {
  if (command.args === 'close') return closeCommand(command)
  if (command.args !== '') return answer(command, 'Usage: /treatment to open a Treatment topic, /treatment close to end it.')
  const { ctx, topic } = command
  if (topic.role === onDemandRole(ctx.project.roles).key) return answer(command, 'This is the Treatment topic. Use /treatment close to end it.')
  const refusal = refusalFor(ctx.project, ctx.from!.id, 'open_treatment')
  if (refusal) return answer(command, refusal)
  if (onDemandRole(ctx.project.roles).groups(ctx.project.config).length === 0) return answer(command, 'This project has no Treatment group configured.')
  if (await activeTreatmentTopic(ctx.deps.db, ctx.project, topic.customerId)) return answer(command, 'This customer already has an open Treatment topic.')
  const replay = ctx.project.config.treatment.contextMessages
  await answer(command, `Open a Treatment topic for this customer?${replay ? ` The last ${replay} messages will be copied into it.` : ''}`, {
    reply_markup: treatmentPromptKeyboard(ctx.project, topic.customerId),
  })
}

async function closeCommand(command: TopicCommand): Promise<void> {
  const { ctx, topic } = command
  const outcome = await closeTreatment(ctx.deps, ctx.project, topic.customerId, ctx.from!.id)
  // The Treatment and CS topics get notices; elsewhere the command is answered.
  if (!outcome.ok) await answer(command, outcome.reason)
  else if (topic.role === teamsRole(ctx.project.roles).key) await answer(command, 'Treatment topic closed.')
}
