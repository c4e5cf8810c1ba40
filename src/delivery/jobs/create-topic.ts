import { retryTransient } from '../../db/errors.js'
import { findTopic } from '../../db/repositories/relay.js'
import { PermanentJobError } from '../classify-error.js'
import type { JobModule, JobOf } from './module.js'

/** Create a customer's topic in Telegram and report its thread (the copies waiting behind it can then go). */
export const createTopic: JobModule<JobOf<'create_topic'>> = {
  type: 'create_topic',
  poolable: true,
  conversation: true,
  async send(deps, claimed) {
    const topicId = claimed.job.topicId
    const topic = await findTopic(deps.db, topicId)
    if (!topic) throw new PermanentJobError(`Topic ${topicId} is gone`)
    if (topic.threadId) return { threadId: topic.threadId, alreadyCreated: true }
    const created = await deps.gateway.api(claimed.botId).createForumTopic(topic.chatId, topic.name)
    await retryTransient(async () => deps.hooks?.onTopicCreated?.(topicId, created.message_thread_id))
    return { threadId: created.message_thread_id }
  },
}
