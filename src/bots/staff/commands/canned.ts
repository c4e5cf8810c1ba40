import { addCanned, listCanned, removeCanned, sendCanned } from '../../../domain/crm/canned.js'
import type { CrmOutcome } from '../../../domain/crm/tags.js'
import { refusalFor } from '../../../domain/permissions.js'
import { staffGroupOf } from '../../../domain/project-runtime.js'
import { toInboundMessage } from '../../shared/inbound.js'
import { answer, type GroupCommandHandler, type TopicCommandHandler } from './types.js'

/** `/canned add <name> <text>`, `/canned remove <name>` (CS leads), `/canned list` (see domain/crm/canned). */
export const cannedCommand: GroupCommandHandler = async (ctx) => {
  const [verb = '', ...rest] = ctx.match.trim().split(/\s+/)
  const args = ctx.match.trim().slice(verb.length).trim()
  const listRefusal = refusalFor(ctx.project, ctx.from.id, 'see_canned', undefined, staffGroupOf(ctx.project, ctx.chat.id))
  const outcome: CrmOutcome =
    verb === 'add'
      ? await addCanned(ctx.deps, ctx.project, ctx.from.id, args)
      : verb === 'remove' && rest.length === 1
        ? await removeCanned(ctx.deps, ctx.project, ctx.from.id, args)
        : verb === 'list' || verb === ''
          ? listRefusal
            ? { ok: false, reason: listRefusal }
            : { ok: true, text: await listCanned(ctx.deps.db, ctx.project) }
          : { ok: false, reason: 'Usage: /canned list, /canned add <name> <text>, /canned remove <name>.' }
  await ctx.reply(outcome.ok ? outcome.text : outcome.reason, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
}

/** `/c <name>` in a customer's topic: sends the canned reply to the client as the agent. */
export const sendCannedCommand: TopicCommandHandler = async (command) => {
  const { ctx, topic, group, args, message } = command
  const outcome = await sendCanned(ctx.deps, ctx.project, group, topic, toInboundMessage(message), args)
  if (!outcome.ok) await answer(command, outcome.reason)
}
