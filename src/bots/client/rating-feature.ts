import { Composer } from 'grammy'
import { ratingButtons } from '../../domain/buttons/rating.js'
import { rateResolution } from '../../domain/conversation/rating.js'
import { bindClientButtonFamily } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/** The rating prompt's 1–5 buttons in the client's private chat; the domain binds a press to the client and their resolution. */
bindClientButtonFamily(composer, ratingButtons, async (ctx, { value: data, message: prompt }) => {
  const answer = await rateResolution(ctx.deps, ctx.project, { userId: ctx.from.id, data, prompt })
  ctx.log.info({ data, userId: ctx.from.id, answer: answer.text }, 'rating pressed')
  await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert })
})

export { composer as clientRatingFeature }
