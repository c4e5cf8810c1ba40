import { refusalFor } from '../../../domain/permissions.js'
import { myOpenCustomers, whoIsOn } from '../../../domain/owners/who.js'
import { staffGroupOf } from '../../../domain/project-runtime.js'
import type { GroupCommandHandler } from './types.js'

/** `/who`: the team's agents (in the CS group: every CR team) with their presence and open customers. */
export const whoCommand: GroupCommandHandler = async (ctx) => {
  const group = staffGroupOf(ctx.project, ctx.chat.id)
  if (!group) return
  const refusal = refusalFor(ctx.project, ctx.from.id, 'see_presence', undefined, group)
  await reply(ctx, refusal ?? (await whoIsOn(ctx.deps.db, ctx.project, group, ctx.deps.clock.now())))
}

/** `/mine`: the asking agent's open customers in this project, with links to their topics. */
export const mineCommand: GroupCommandHandler = async (ctx) => {
  const refusal = refusalFor(ctx.project, ctx.from.id, 'see_presence', undefined, staffGroupOf(ctx.project, ctx.chat.id))
  await reply(ctx, refusal ?? (await myOpenCustomers(ctx.deps.db, ctx.project, ctx.from.id)))
}

const reply = (ctx: Parameters<GroupCommandHandler>[0], text: string) =>
  ctx.reply(text, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true }, link_preview_options: { is_disabled: true } })
