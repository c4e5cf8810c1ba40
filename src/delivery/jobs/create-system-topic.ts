import { eq } from 'drizzle-orm'
import { retryTransient } from '../../db/errors.js'
import { systemTopics } from '../../db/schema/index.js'
import { PermanentJobError } from '../classify-error.js'
import type { JobModule, JobOf } from './module.js'

/** Create a system topic (the CS "Onboarding" topic) and report its thread. */
export const createSystemTopic: JobModule<JobOf<'create_system_topic'>> = {
  type: 'create_system_topic',
  poolable: true,
  async send(deps, claimed) {
    const systemTopicId = claimed.job.systemTopicId
    const [row] = await deps.db.select().from(systemTopics).where(eq(systemTopics.id, systemTopicId))
    if (!row) throw new PermanentJobError(`System topic ${systemTopicId} is gone`)
    if (row.threadId) return { threadId: row.threadId, alreadyCreated: true }
    const created = await deps.gateway.api(claimed.botId).createForumTopic(row.chatId, row.purpose === 'onboarding' ? 'Onboarding' : row.purpose)
    await retryTransient(async () => deps.hooks?.onSystemTopicCreated?.(systemTopicId, created.message_thread_id))
    return { threadId: created.message_thread_id }
  },
}
