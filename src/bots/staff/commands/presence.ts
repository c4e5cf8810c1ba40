import type { PresenceStatus } from '../../../domain/presence.js'
import { declarePresence } from '../../../domain/owners/declare-presence.js'
import type { AnywhereCommandHandler } from './types.js'

/** `/online`, `/away`, `/offline` in a staff group or a private chat with a staff bot: the agent's presence, for every brand. */
export const presenceCommand =
  (status: PresenceStatus): AnywhereCommandHandler =>
  async (ctx) => {
    if (!ctx.from) return
    const outcome = await declarePresence(ctx.deps, ctx.project, ctx.from.id, status)
    await ctx.reply(outcome.ok ? outcome.text : outcome.reason, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
  }
