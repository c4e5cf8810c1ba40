import type { Database } from '../db/client.js'
import { isTransientDbError, retryTransient } from '../db/errors.js'
import { findTopic } from '../db/repositories/relay.js'
import type { Logger } from '../logger.js'
import { classifyTelegramError, describeError, type FailureClass } from './classify-error.js'
import { decodeDestination } from './destination.js'
import type { TelegramGateway } from './gateway.js'
import type { DeliveryHooks } from './hooks.js'

/** A failure worth another attempt later (the network, Telegram busy, a database hiccup). */
export type PassingFailure = Extract<FailureClass, { kind: 'rate_limited' | 'transient' | 'uncertain' | 'unauthorized' }>

export type Recovery =
  | { outcome: 'reopened' | 'recreated'; topicId: number }
  | { outcome: 'not_a_topic' }
  /** The topic cannot take the row again (retired, or Telegram refused for good). */
  | { outcome: 'failed'; topicId: number }
  /** Recovery met a passing failure: the row is retried with backoff like any send. */
  | { outcome: 'retry'; topicId: number; failure: PassingFailure; error: string }

/**
 * A send into a customer's topic failed because the topic was closed, deleted by hand or
 * archived (bots are never told). Reopen it, or create a new one (the domain records it through
 * the hooks and points the routing at it), so the failed row can simply be sent again. A
 * recreation whose connection dropped after Telegram took it may leave one empty topic behind
 * when it is tried again (Telegram has no idempotency key); so may a database down for longer
 * than its recording is retried (about 18 s).
 */
export async function recoverTopic(
  deps: { db: Database; gateway: TelegramGateway; logger: Logger; hooks?: DeliveryHooks },
  destination: string,
  botId: number,
  problem: 'topic_closed' | 'topic_missing',
): Promise<Recovery> {
  const decoded = decodeDestination(destination)
  if (decoded?.kind !== 'topic') return { outcome: 'not_a_topic' }
  const topicId = decoded.topicId
  try {
    const topic = await findTopic(deps.db, topicId)
    if (!topic?.threadId) return { outcome: 'not_a_topic' }
    // A retired topic (replaced, or Treatment closed) stays closed: reopening it would route the customer there again.
    if (topic.state === 'retired') return { outcome: 'failed', topicId }
    const api = deps.gateway.api(botId)
    if (problem === 'topic_closed') {
      await api.reopenForumTopic(topic.chatId, topic.threadId).catch((error: Error) => {
        if (!/TOPIC_NOT_MODIFIED/.test(error.message)) throw error
      })
      await deps.hooks?.onTopicReopened?.(topicId)
      deps.logger.warn({ topicId, chatId: topic.chatId }, 'topic was closed; reopened it')
      return { outcome: 'reopened', topicId }
    }
    const created = await api.createForumTopic(topic.chatId, topic.name)
    // The new thread is known only here: a database hiccup recording it is retried at once, else
    // the row's next attempt would still find the old thread and create a second topic.
    await retryTransient(async () => deps.hooks?.onTopicRecreated?.(topicId, created.message_thread_id), 6)
    deps.logger.warn({ topicId, chatId: topic.chatId, oldThread: topic.threadId, newThread: created.message_thread_id }, 'topic was gone; recreated it')
    return { outcome: 'recreated', topicId }
  } catch (error) {
    const failure = isTransientDbError(error) ? ({ kind: 'transient' } as const) : classifyTelegramError(error)
    if (failure.kind === 'rate_limited' || failure.kind === 'transient' || failure.kind === 'uncertain' || failure.kind === 'unauthorized') {
      deps.logger.warn({ err: error, topicId, failure: failure.kind }, 'topic recovery failed for now; will try again')
      return { outcome: 'retry', topicId, failure, error: `topic recovery: ${describeError(error)}` }
    }
    deps.logger.error({ err: error, topicId }, 'topic recovery failed')
    return { outcome: 'failed', topicId }
  }
}
