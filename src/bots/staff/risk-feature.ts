import { Composer } from 'grammy'
import { riskPromptButtons } from '../../domain/buttons/risk-prompt.js'
import { answerRiskPrompt } from '../../domain/risk/answer.js'
import { bindButtonFamily } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/**
 * "Send anyway / Cancel" of a risk prompt, in the author's topic of any staff group: shown to
 * them only (an ephemeral message) or, as a fallback, as a normal reply. The domain lets only
 * the author answer, once, in time.
 */
bindButtonFamily(composer, riskPromptButtons, {}, async (ctx, { value }) => {
  const pressed = ctx.callbackQuery.message
  const ephemeralMessageId = pressed && 'ephemeral_message_id' in pressed ? pressed.ephemeral_message_id : undefined
  const outcome = await answerRiskPrompt(ctx.deps, ctx.project, { ...value, userId: ctx.from.id, ...(ephemeralMessageId ? { ephemeralMessageId } : {}) })
  ctx.log.info({ promptId: value.promptId, choice: value.choice, userId: ctx.from.id, outcome: outcome.kind }, 'risk prompt pressed')
  await ctx.answerCallbackQuery({ text: outcome.text, show_alert: outcome.kind === 'not_author' })
})

export { composer as staffRiskFeature }
