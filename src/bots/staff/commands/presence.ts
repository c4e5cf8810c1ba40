import type { PresenceStatus } from '../../../domain/presence.js'
import { declarePresence } from '../../../domain/owners/declare-presence.js'
import { groupRefusal } from '../../../domain/permissions.js'
import { staffGroupOf, staffMember } from '../../../domain/project-runtime.js'
import type { AnywhereCommandHandler } from './types.js'

/** `/online`, `/away`, `/offline` in a staff group or a private chat with a staff bot: the agent's presence, for every brand. */
export const presenceCommand =
  (status: PresenceStatus): AnywhereCommandHandler =>
  async (ctx) => {
    if (!ctx.from) return
    // In a staff group, only its own staff (role and team); the roster's check below words the refusal to anyone else.
    const group = ctx.chat ? staffGroupOf(ctx.project, ctx.chat.id) : undefined
    const refusal = group && staffMember(ctx.project, ctx.from.id) ? groupRefusal(ctx.project, ctx.from.id, group) : undefined
    const replyTo = { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
    if (refusal) {
      await ctx.reply(refusal, replyTo)
      return
    }
    const outcome = await declarePresence(ctx.deps, ctx.project, ctx.from.id, status)
    await ctx.reply(outcome.ok ? outcome.text : outcome.reason, replyTo)
  }
