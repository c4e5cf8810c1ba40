import type { TelegramGateway } from '../gateway.js'
import type { JobModule, JobOf } from './module.js'
import { messageOfJob } from './targets.js'

type Reaction = Parameters<ReturnType<TelegramGateway['api']>['setMessageReaction']>[2]

/** Set (or clear, with []) the bot's reaction on a message or on a relay copy. */
export const react: JobModule<JobOf<'react'>> = {
  type: 'react',
  async send(deps, claimed) {
    const target = await messageOfJob(deps, claimed.botId, claimed.job)
    if (!target) return { skipped: 'no message to react to' }
    const reaction = claimed.job.emoji.map((emoji) => ({ type: 'emoji' as const, emoji })) as Reaction
    return deps.gateway.api(target.botId).setMessageReaction(target.chatId, target.messageId, reaction)
  },
}
