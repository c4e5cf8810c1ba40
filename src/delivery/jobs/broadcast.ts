import type { Message } from 'grammy/types'
import { findBroadcastSource, type BroadcastSource } from '../../db/repositories/broadcasts.js'
import { PermanentJobError } from '../classify-error.js'
import { contentOf, type Content } from '../render.js'
import { contentSteps, sendContent } from '../send-content.js'
import { messagesLeft } from '../send-steps.js'
import type { ClaimOf, ExecutorDeps, JobModule, JobOf } from './module.js'

/** The last few broadcasts' content, read once per process rather than once per recipient. */
const recent = new Map<number, { content: Content; sourceBotId: number }>()
const RECENT_MAX = 8

async function broadcastContent(deps: ExecutorDeps, broadcastId: number): Promise<{ content: Content; sourceBotId: number }> {
  const cached = recent.get(broadcastId)
  if (cached) return cached
  const found: BroadcastSource | undefined = await findBroadcastSource(deps.db, broadcastId)
  if (!found) throw new PermanentJobError(`Broadcast ${broadcastId} is gone`)
  const loaded = { content: contentOf(JSON.parse(found.source) as Message), sourceBotId: found.sourceBotId }
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!)
  recent.set(broadcastId, loaded)
  return loaded
}

/**
 * One client's copy of a broadcast, sent by the client bot like a relay copy (files uploaded once
 * per bot, then by cached file id). A client who blocked the bot fails with 403 (the worker's
 * permanent-failure hook marks the customer; the row is dead, not retried).
 */
export const broadcast: JobModule<JobOf<'broadcast'>> = {
  type: 'broadcast',
  messages: async (deps, claimed: ClaimOf<JobOf<'broadcast'>>) => {
    const { content, sourceBotId } = await broadcastContent(deps, claimed.job.broadcastId)
    return messagesLeft(contentSteps(deps, claimed.botId, sourceBotId, { chatId: claimed.job.chatId }, content, {}), claimed.progress)
  },
  send: async (deps, claimed, progress) => {
    const { content, sourceBotId } = await broadcastContent(deps, claimed.job.broadcastId)
    const sent = await sendContent(deps, claimed.botId, sourceBotId, { chatId: claimed.job.chatId }, content, { progress, paidBroadcast: claimed.job.paid === true })
    return { messageId: sent.message_id }
  },
}
