import { Composer } from 'grammy'
import { cardButtons } from '../../domain/buttons/onboarding-card.js'
import { pressCardButton } from '../../domain/onboarding/decide.js'
import { bindButtonFamily, inHomeGroup } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/** Buttons of the onboarding cards in the CS group; the domain binds a press to its card's assignment. */
bindButtonFamily(composer, cardButtons, { groups: inHomeGroup, action: () => 'assign_customer' }, async (ctx, { value: action, message: card }) => {
  const answer = await pressCardButton(ctx.deps, ctx.project, { action, userId: ctx.from.id, card })
  ctx.log.info({ action, userId: ctx.from.id, answer: answer.text }, 'onboarding card pressed')
  await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert })
})

export { composer as staffAssignmentFeature }
