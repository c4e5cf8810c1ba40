import type { JobModule, JobOf } from './module.js'

/**
 * Remove someone from a group and let them be invited again (enforceMembership):
 * core.telegram.org/bots/api#banchatmember removes them; #unbanchatmember with only_if_banned
 * lifts the ban without touching anyone else, so they may be invited again later.
 */
export const removeMember: JobModule<JobOf<'remove_member'>> = {
  type: 'remove_member',
  async send(deps, claimed) {
    const api = deps.gateway.api(claimed.botId)
    await api.banChatMember(claimed.job.chatId, claimed.job.userId)
    return api.unbanChatMember(claimed.job.chatId, claimed.job.userId, { only_if_banned: true })
  },
}
