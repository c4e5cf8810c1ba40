import { Composer } from 'grammy'
import { flowButtons } from '../../domain/buttons/flow.js'
import { pressFlowButton } from '../../domain/autoreply/engine.js'
import { bindClientButtonFamily } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/** The buttons under the bot's automatic answers ("Talk to a person", flow steps); the domain binds a press to the client. */
bindClientButtonFamily(composer, flowButtons, async (ctx, { value }) => {
  const data = ctx.callbackQuery.data ?? ''
  // The label the client saw: the topics show which button was pressed.
  const pressed = ctx.callbackQuery.message?.reply_markup?.inline_keyboard.flat().find((b) => 'callback_data' in b && b.callback_data === data)
  const text = await pressFlowButton(ctx.deps, ctx.project, { userId: ctx.from.id, value, label: pressed?.text ?? '' })
  ctx.log.info({ data, userId: ctx.from.id }, 'flow button pressed')
  await ctx.answerCallbackQuery({ text })
})

export { composer as clientFlowFeature }
