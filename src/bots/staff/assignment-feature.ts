import { Composer } from 'grammy'
import { decodeCardAction } from '../../domain/onboarding/assignment-card.js'
import { pressCardButton } from '../../domain/onboarding/decide.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/** Buttons of the onboarding cards in the CS group. Forged or stale data gets a clear answer. */
composer.callbackQuery(/^as:/, async (ctx) => {
  const action = decodeCardAction(ctx.callbackQuery.data)
  const card = ctx.callbackQuery.message
  if (!action || !card || card.chat.id !== ctx.project.config.groups.cs.chatId) {
    await ctx.answerCallbackQuery({ text: 'This button is no longer valid.', show_alert: true })
    return
  }
  const answer = await pressCardButton(ctx.deps, ctx.project, { action, userId: ctx.from.id, card: { chatId: card.chat.id, messageId: card.message_id, botId: ctx.self.id } })
  ctx.log.info({ action, userId: ctx.from.id, answer: answer.text }, 'onboarding card pressed')
  await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert })
})

export { composer as staffAssignmentFeature }
