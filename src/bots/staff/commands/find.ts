import { findCustomers } from '../../../domain/crm/find.js'
import { refusalFor } from '../../../domain/permissions.js'
import type { GroupCommandHandler } from './types.js'

/** `/find tag:vip` or `/find <email|account|name>` in the CS group: matching customers with links to their topics. */
export const findCommand: GroupCommandHandler = async (ctx) => {
  const refusal = refusalFor(ctx.project, ctx.from.id, 'find_customers')
  const outcome = refusal ? { ok: false as const, reason: refusal } : await findCustomers(ctx.deps.db, ctx.project, ctx.match.trim())
  await ctx.reply(outcome.ok ? outcome.text : outcome.reason, {
    reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    link_preview_options: { is_disabled: true },
  })
}
