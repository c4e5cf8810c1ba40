import { Composer } from 'grammy'
import { staffGroupOf } from '../../domain/project-runtime.js'
import { onDemandRole } from '../../domain/roles.js'
import { pressTreatmentButton } from '../../domain/treatment/open-treatment.js'
import { NOT_THIS_MESSAGE, pressedMessage } from '../buttons/pressed-message.js'
import { decodeTreatmentAction } from '../../domain/buttons/treatment-prompt.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/**
 * Buttons of the `/treatment` confirmation. It is posted in a CS or CR topic, so the press
 * reaches the CS or the CR bot; anything else is stale or forged.
 */
composer.callbackQuery(/^tr:/, async (ctx) => {
  const action = decodeTreatmentAction(ctx.callbackQuery.data)
  const prompt = pressedMessage(ctx.callbackQuery, ctx.self.id)
  const group = prompt ? staffGroupOf(ctx.project, prompt.chatId) : undefined
  if (!action || !prompt || !group || group.role === onDemandRole(ctx.project.roles).key) {
    await ctx.answerCallbackQuery({ text: action && !prompt ? NOT_THIS_MESSAGE : 'This button is no longer valid.', show_alert: true })
    return
  }
  const answer = await pressTreatmentButton(ctx.deps, ctx.project, { action, userId: ctx.from.id, prompt })
  ctx.log.info({ action, userId: ctx.from.id, answer: answer.text }, 'treatment prompt pressed')
  await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert })
})

export { composer as staffTreatmentFeature }
