import { scopeOf } from '../../../db/project-scope.js'
import { topicByThread } from '../../../domain/customers.js'
import { addKnowledgePair, listKnowledgePairs, removeKnowledgePair, type KnowledgeOutcome } from '../../../domain/knowledge/pairs.js'
import { staffGroupOf, textsOf } from '../../../domain/project-runtime.js'
import { toInboundMessage } from '../../shared/inbound.js'
import type { GroupCommandHandler } from './types.js'

/** `/kb add` (a reply to a staff answer in a customer's topic), `/kb list`, `/kb remove <id>`: CS leads (see domain/knowledge/pairs). */
export const kbCommand: GroupCommandHandler = async (ctx) => {
  const group = staffGroupOf(ctx.project, ctx.chat.id)
  if (!group) return
  const [verb = '', ...rest] = ctx.match.trim().split(/\s+/)
  const inTopic = ctx.msg.is_topic_message && ctx.msg.message_thread_id !== undefined
  const topic = inTopic ? await topicByThread(ctx.deps.db, scopeOf(ctx.project), ctx.chat.id, ctx.msg.message_thread_id!) : undefined
  const outcome: KnowledgeOutcome =
    verb === 'add' && rest.length === 0
      ? topic
        ? await addKnowledgePair(ctx.deps, ctx.project, group, ctx.me.id, toInboundMessage(ctx.msg))
        : { ok: false, reason: textsOf(ctx.project).staff('kbAddHowTo') }
      : verb === 'list' && rest.length === 0
        ? await listKnowledgePairs(ctx.deps.db, ctx.project, ctx.from.id, group)
        : verb === 'remove' && rest.length === 1 && /^\d+$/.test(rest[0]!)
          ? await removeKnowledgePair(ctx.deps.db, ctx.project, ctx.from.id, group, Number(rest[0]))
          : { ok: false, reason: textsOf(ctx.project).staff('kbUsage') }
  await ctx.reply(outcome.ok ? outcome.text : outcome.reason, {
    reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    ...(inTopic ? { message_thread_id: ctx.msg.message_thread_id } : {}),
  })
}
