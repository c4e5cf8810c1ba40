import { Composer } from 'grammy'
import { decodeRatingPress } from '../../domain/buttons/rating.js'
import { RATING_NOT_VALID, rateResolution } from '../../domain/conversation/rating.js'
import { NOT_THIS_MESSAGE, pressedMessage } from '../buttons/pressed-message.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/** The rating prompt's 1–5 buttons in the client's private chat; anything else pressed there is stale or forged. */
composer.callbackQuery(/^rt:/, async (ctx) => {
  const data = decodeRatingPress(ctx.callbackQuery.data)
  const prompt = pressedMessage(ctx.callbackQuery, ctx.self.id)
  if (!data || !prompt) {
    await ctx.answerCallbackQuery({ text: data && !prompt ? NOT_THIS_MESSAGE : RATING_NOT_VALID, show_alert: true })
    return
  }
  const answer = await rateResolution(ctx.deps, ctx.project, { userId: ctx.from.id, data, prompt })
  ctx.log.info({ data, userId: ctx.from.id, answer: answer.text }, 'rating pressed')
  await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert })
})

export { composer as clientRatingFeature }
