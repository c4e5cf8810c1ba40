import type { Database } from '../db/client.js'
import { pruneDeliveryHistory } from '../delivery/retention.js'
import type { Logger } from '../logger.js'
import { expireStoredMessages } from './retention-messages.js'
import { pruneAssistantJobs } from '../domain/assistant/jobs.js'
import type { CronJob } from './scheduler.js'

/**
 * Prunes handled updates and sent outbox rows older than `retention.days` and, when
 * `retention.messageDays` is set, stored messages older than that (default daily).
 */
export function retentionJob(db: Database, logger: Logger, options: { schedule: string; days: number; messageDays?: number }): CronJob {
  return {
    name: 'retention',
    schedule: options.schedule,
    async run() {
      const pruned = await pruneDeliveryHistory(db, { olderThanDays: options.days })
      if (pruned.updates || pruned.outbox) logger.info({ ...pruned, days: options.days }, 'pruned delivery history')
      // Finished assistant jobs (their payloads may quote messages) go with the delivery history.
      const assistantJobs = await pruneAssistantJobs(db, options.days)
      if (assistantJobs) logger.info({ assistantJobs, days: options.days }, 'pruned finished assistant jobs')
      if (options.messageDays === undefined) return
      const expired = await expireStoredMessages(db, { olderThanDays: options.messageDays })
      if (expired.messages) logger.info({ ...expired, days: options.messageDays }, 'deleted expired messages')
    },
  }
}
