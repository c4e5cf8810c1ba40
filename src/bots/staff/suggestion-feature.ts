import { Composer } from 'grammy'
import { suggestionButtons } from '../../domain/buttons/suggestion.js'
import { answerSuggestionPress } from '../../domain/assistant/suggestion-press.js'
import { STAFF_ROLES } from '../../domain/roles.js'
import { bindButtonFamily } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/**
 * Send / Edit / Dismiss of a suggested reply (suggest mode), in the customer's topic: shown to
 * the owner only (an ephemeral message) or, as a fallback, as a normal 🤖 message. A press must
 * be in that customer's topic by someone working in the group; the domain decides each once.
 */
bindButtonFamily(
  composer,
  suggestionButtons,
  { customerTopic: (value) => ({ customerId: value.customerId, roles: STAFF_ROLES.map((role) => role.key) }) },
  async (ctx, { value, group }) => {
    const pressed = ctx.callbackQuery.message
    const ephemeralMessageId = pressed && 'ephemeral_message_id' in pressed ? pressed.ephemeral_message_id : undefined
    const outcome = await answerSuggestionPress(ctx.deps, ctx.project, group, { ...value, userId: ctx.from.id, ...(ephemeralMessageId ? { ephemeralMessageId } : {}) })
    ctx.log.info({ suggestionId: value.suggestionId, choice: value.choice, userId: ctx.from.id, outcome: outcome.kind }, 'suggestion pressed')
    await ctx.answerCallbackQuery({ text: outcome.text })
  },
)

export { composer as staffSuggestionFeature }
