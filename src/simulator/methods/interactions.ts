import { chatForBot, liveMessage } from '../access.js'
import { badRequest, E } from '../api-error.js'
import type { Wire } from '../world.js'
import type { Handler } from './context.js'
import { reactionTarget, STANDARD_REACTIONS } from '../reactions.js'

const CALLBACK_ANSWER_WINDOW_MS = 15_000

/**
 * A bot's reaction: at most one standard emoji; replaces its previous one; nobody is notified.
 * On an album item it lands on the album's first non-deleted item.
 */
const setMessageReaction: Handler = (ctx) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'write')
  const asked = liveMessage(chat, ctx.params.int('message_id'))
  if (!asked || asked.kind === 'service') throw badRequest('message to react not found')
  const m = reactionTarget(asked)
  const reaction = ctx.params.json<Wire[]>('reaction') ?? []
  if (!Array.isArray(reaction)) throw badRequest('REACTION_INVALID')
  for (const r of reaction) {
    if (r?.type !== 'emoji' || !STANDARD_REACTIONS.has(String(r.emoji))) throw badRequest('REACTION_INVALID')
  }
  if (reaction.length > 1) throw badRequest('REACTIONS_TOO_MANY')
  if (m !== asked) ctx.world.stats.albumReactionsMoved++
  const first = reaction[0]
  if (first) m.reactions.set(ctx.bot.id, [String(first.emoji)])
  else m.reactions.delete(ctx.bot.id)
  return true
}

/** Answers a button press; late (over 15 s), repeated or unknown query ids fail as in Telegram. */
const answerCallbackQuery: Handler = (ctx) => {
  const id = ctx.params.str('callback_query_id') ?? ''
  const pending = ctx.world.callbacks.get(id)
  if (!pending || pending.botId !== ctx.bot.id || pending.answered) throw E.queryTooOld()
  if (ctx.world.clock.nowMs() - pending.createdAtMs > CALLBACK_ANSWER_WINDOW_MS) throw E.queryTooOld()
  const text = ctx.params.str('text')
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG')
  pending.answered = true
  pending.resolve({ ...(text !== undefined ? { text } : {}), ...(ctx.params.bool('show_alert') ? { show_alert: true } : {}) })
  return true
}

export const interactionHandlers: Record<string, Handler> = { setMessageReaction, answerCallbackQuery }
