import { eq } from 'drizzle-orm'
import { findLink, messageIdInChat } from '../../db/repositories/relay.js'
import { systemTopics } from '../../db/schema/index.js'
import { classifyTelegramError, PermanentJobError } from '../classify-error.js'
import type { ReplyRef, Target } from '../jobs.js'
import { topicDestination, type Destination } from '../send-content.js'
import type { ExecutorDeps } from './module.js'

// What several job modules share: where a notice goes, what it replies to, which message a job acts on.

/** An edit that changes nothing is fine. */
export async function ignoreNotModified<T>(call: () => Promise<T>): Promise<T | { notModified: true }> {
  try {
    return await call()
  } catch (error) {
    if (classifyTelegramError(error).kind === 'not_modified') return { notModified: true }
    throw error
  }
}

/** The chat (and thread) a notice's target stands for; a system topic not created yet cannot take one. */
export async function resolveTarget(deps: ExecutorDeps, target: Target): Promise<Destination> {
  if (target.kind === 'chat') return { chatId: target.chatId }
  if (target.kind === 'topic') return topicDestination(deps, target.topicId)
  const [row] = await deps.db.select().from(systemTopics).where(eq(systemTopics.id, target.systemTopicId))
  if (!row?.threadId) throw new PermanentJobError(`System topic ${target.systemTopicId} has no thread yet`)
  return { chatId: row.chatId, threadId: row.threadId }
}

/** The message id in `chatId` a reply reference stands for, when known. */
export async function replyId(deps: ExecutorDeps, ref: ReplyRef | undefined, chatId: number): Promise<number | undefined> {
  if (!ref) return undefined
  if ('messageId' in ref) return ref.messageId
  if ('linkId' in ref) return (await findLink(deps.db, ref.linkId))?.copyMessageId ?? undefined
  return messageIdInChat(deps.db, ref.originalMessageRowId, chatId)
}

/**
 * The message a delete or react job acts on: a given chat/message, or the copy behind a relay
 * link — and then through the bot that posted it, the only one allowed to touch it.
 */
export async function messageOfJob(deps: ExecutorDeps, botId: number, job: { chatId?: number; messageId?: number; linkId?: number }) {
  if (!job.linkId) return job.chatId && job.messageId ? { botId, chatId: job.chatId, messageId: job.messageId } : undefined
  const link = await findLink(deps.db, job.linkId)
  return link?.copyMessageId ? { botId: link.botId, chatId: link.chatId, messageId: link.copyMessageId } : undefined
}
