import { attachConfirmation, isOnboardingThread, prepareBroadcast } from '../../../domain/broadcasts/broadcasts.js'
import { confirmKeyboard } from '../../../domain/buttons/broadcast.js'
import { refusalFor } from '../../../domain/permissions.js'
import { textsOf } from '../../../domain/project-runtime.js'
import type { GroupCommandHandler } from './types.js'

/**
 * `/broadcast [segment]` by a CS lead, as a reply to a message in the Onboarding topic: counts the
 * segment and posts a confirmation with Confirm / Cancel (answered in broadcast-feature).
 */
export const broadcastCommand: GroupCommandHandler = async (ctx) => {
  const reply = (text: string, extra: object = {}) => ctx.reply(text, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true }, ...extra })
  const refusal = refusalFor(ctx.project, ctx.from.id, 'broadcast')
  if (refusal) return void (await reply(refusal))
  if (!(await isOnboardingThread(ctx.deps.db, ctx.project, ctx.chat.id, ctx.msg.message_thread_id)))
    return void (await reply(textsOf(ctx.project).staff('broadcastNotInOnboarding')))
  const source = ctx.msg.reply_to_message
  // In a topic, a message that replies to nothing still points at the topic's creation.
  if (!source || source.forum_topic_created) return void (await reply(textsOf(ctx.project).staff('broadcastNotAReply')))
  const prepared = await prepareBroadcast(ctx.deps.db, ctx.project, {
    authorUserId: ctx.from.id,
    segment: typeof ctx.match === 'string' ? ctx.match : '',
    source,
    sourceBotId: ctx.me.id,
    paid: ctx.deps.allowPaidBroadcast === true,
  })
  if (!prepared.ok) return void (await reply(prepared.reason))
  const confirmation = await reply(textsOf(ctx.project).staff('broadcastConfirm', { segment: prepared.segment, recipients: prepared.recipients }), {
    reply_markup: confirmKeyboard(ctx.project, prepared.broadcastId, prepared.recipients),
  })
  await attachConfirmation(ctx.deps.db, prepared.broadcastId, { chatId: confirmation.chat.id, messageId: confirmation.message_id, botId: ctx.me.id })
  ctx.log.info({ broadcastId: prepared.broadcastId, recipients: prepared.recipients, by: ctx.from.id }, 'broadcast counted')
}
