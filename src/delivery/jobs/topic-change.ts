import { findTopic } from '../../db/repositories/relay.js'
import type { TelegramGateway } from '../gateway.js'
import type { JobModule } from './module.js'

type Api = ReturnType<TelegramGateway['api']>
type Change = 'close_topic' | 'reopen_topic' | 'delete_topic'

/**
 * Closes, reopens or deletes a topic; doing what is already done counts as success. No bot is
 * told of its own closes and reopens, so the domain records them where it queues them (a reopen
 * queued behind a close must win), never here after the send (see below).
 */
function topicChange<T extends Change>(type: T, call: (api: Api, chatId: number, threadId: number) => Promise<unknown>): JobModule<{ type: T; topicId: number }> {
  return {
    type,
    async send(deps, claimed) {
      const topic = await findTopic(deps.db, claimed.job.topicId)
      if (!topic?.threadId) return { skipped: 'topic was never created' }
      try {
        await call(deps.gateway.api(claimed.botId), topic.chatId, topic.threadId)
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error)
        if (!/TOPIC_NOT_MODIFIED|message thread not found|TOPIC_ID_INVALID/.test(text)) throw error
        return { alreadyDone: type }
      }
      // No bot hears of its own reopen, and none needs to: the domain recorded the topic as open when
      // it queued this job (topic-state.ts). Recording it again here, after the send, would undo a
      // close queued since (a /resolve right after the client's message), leaving it "open" for good.
      return { done: type }
    },
  }
}

/** Close a customer's topic (idle auto-close, Treatment closed, reassignment cleanup). */
export const closeTopic = topicChange('close_topic', (api, chatId, threadId) => api.closeForumTopic(chatId, threadId))
/** Reopen a customer's topic. */
export const reopenTopic = topicChange('reopen_topic', (api, chatId, threadId) => api.reopenForumTopic(chatId, threadId))
/** Delete a retired topic (reassignment cleanup when configured to delete). */
export const deleteTopic = topicChange('delete_topic', (api, chatId, threadId) => api.deleteForumTopic(chatId, threadId))
