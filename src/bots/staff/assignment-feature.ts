import { Composer } from 'grammy'
import { pressCardButton } from '../../domain/onboarding/decide.js'
import { homeGroup } from '../../domain/project-runtime.js'
import { decodeCardAction } from '../../domain/buttons/onboarding-card.js'
import { NOT_THIS_MESSAGE, pressedMessage } from '../buttons/pressed-message.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/** Buttons of the onboarding cards in the CS group. Forged or stale data gets a clear answer. */
composer.callbackQuery(/^as:/, async (ctx) => {
  const action = decodeCardAction(ctx.callbackQuery.data)
  const card = pressedMessage(ctx.callbackQuery, ctx.self.id)
  if (!action || !card || card.chatId !== homeGroup(ctx.project).chatId) {
    await ctx.answerCallbackQuery({ text: action ? NOT_THIS_MESSAGE : 'This button is no longer valid.', show_alert: true })
    return
  }
  const answer = await pressCardButton(ctx.deps, ctx.project, { action, userId: ctx.from.id, card })
  ctx.log.info({ action, userId: ctx.from.id, answer: answer.text }, 'onboarding card pressed')
  await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert })
})

export { composer as staffAssignmentFeature }
