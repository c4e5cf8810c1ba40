import type { JobModule, JobOf } from './module.js'
import { ignoreNotModified, resolveTarget } from './targets.js'

/**
 * An ephemeral message (Bot API `ephemeral_message_parameters.receiver_user_id`): shown to one
 * member of the group only. Telegram gives no receipt, so whoever queues one keeps a fallback;
 * a refused send dead-letters the row, which that fallback watches. Sent by the row's bot (not
 * pooled): only the bot that posted it can edit it.
 */
export const ephemeral: JobModule<JobOf<'ephemeral'>> = {
  type: 'ephemeral',
  async send(deps, claimed) {
    const job = claimed.job
    const api = deps.gateway.api(claimed.botId)
    if (job.op === 'edit') {
      const edited = await ignoreNotModified(() =>
        api.raw.editEphemeralMessageText({
          chat_id: job.chatId,
          receiver_user_id: job.receiverUserId,
          ephemeral_message_id: job.ephemeralMessageId,
          text: job.text,
          ...(job.replyMarkup ? { reply_markup: job.replyMarkup } : {}),
        }),
      )
      return { edited: edited === true }
    }
    const to = await resolveTarget(deps, job.target)
    const sent = await api.sendMessage(to.chatId, job.text, {
      ...(to.threadId ? { message_thread_id: to.threadId } : {}),
      ephemeral_message_parameters: { receiver_user_id: job.receiverUserId },
      ...(job.replyMarkup ? { reply_markup: job.replyMarkup } : {}),
    })
    return { chatId: to.chatId, ephemeralMessageId: sent.ephemeral_message_id ?? null }
  },
}
