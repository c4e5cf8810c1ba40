import { classifyTelegramError } from '../classify-error.js'
import type { JobModule, JobOf } from './module.js'
import { messageOfJob } from './targets.js'

/** Delete a delivered copy, or any message the bot may delete; one already gone is fine. */
export const deleteMessage: JobModule<JobOf<'delete'>> = {
  type: 'delete',
  async send(deps, claimed) {
    const target = await messageOfJob(deps, claimed.botId, claimed.job)
    if (!target) return { skipped: 'nothing to delete' }
    try {
      return await deps.gateway.api(target.botId).deleteMessage(target.chatId, target.messageId)
    } catch (error) {
      if (classifyTelegramError(error).kind === 'already_deleted') return { alreadyDeleted: true }
      throw error
    }
  },
}
