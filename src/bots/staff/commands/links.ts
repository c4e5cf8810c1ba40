import { linkCommand as runLinkCommand, linksReport } from '../../../domain/links/staff.js'
import type { GroupCommandHandler } from './types.js'

/** `/link new <name> [utm_key=value …]`, `/link disable <code>` in the CS group (see domain/links/staff). */
export const linkCommand: GroupCommandHandler = async (ctx) => {
  const outcome = await runLinkCommand(ctx.deps, ctx.project, ctx.from.id, ctx.match)
  await ctx.reply(outcome.ok ? outcome.text : outcome.reason, {
    reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    link_preview_options: { is_disabled: true },
  })
}

/** `/links [days]` in the CS group: each link's clicks, visitors, starts, onboarded customers and conversion, by day. */
export const linksCommand: GroupCommandHandler = async (ctx) => {
  const outcome = await linksReport(ctx.deps, ctx.project, ctx.from.id, ctx.match)
  await ctx.reply(outcome.ok ? outcome.text : outcome.reason, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
}
