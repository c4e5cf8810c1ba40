import type { JobModule, JobOf } from './module.js'
import { ignoreNotModified } from './targets.js'

/** Replace a bot's own text message and keyboard (cards); an unchanged card is fine. */
export const editText: JobModule<JobOf<'edit_text'>> = {
  type: 'edit_text',
  send(deps, claimed) {
    const job = claimed.job
    const api = deps.gateway.api(claimed.botId)
    return ignoreNotModified(() => api.editMessageText(job.chatId, job.messageId, job.text, { entities: job.entities, reply_markup: job.replyMarkup }))
  },
}
