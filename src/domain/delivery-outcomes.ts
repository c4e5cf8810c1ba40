import { eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { assignments, systemTopics, topics } from '../db/schema/index.js'
import type { DeliveryHooks } from '../delivery/hooks.js'
import type { DomainDeps } from './deps.js'
import { handlePermanentFailure } from './delivery-failures.js'
import { alarmGroupBacklog } from './group-alarm.js'
import type { ProjectRuntime } from './project-runtime.js'
import { noteTopicRecovered } from './topic-health.js'
import { queueProfileCardEdits, recordProfileCard } from './crm/profile-card.js'

/**
 * The domain's side of the delivery port: what the outbox workers report (a topic created, a card
 * posted, a permanent failure, a recovered topic) is recorded or decided here, so delivery
 * never writes domain tables.
 */
export function createDeliveryHooks(deps: DomainDeps, projects: ProjectRuntime[]): DeliveryHooks {
  const projectOf = (projectId: number) => projects.find((p) => p.id === projectId)
  return {
    ...deliveryRecords(deps.db),
    onPermanentFailure: (job, failure, error) => handlePermanentFailure(deps, projects, job, failure, error),
    onTopicRecovered: async (job, outcome, topicId) => {
      const project = projectOf(job.projectId)
      if (project) await noteTopicRecovered(deps, project, topicId, outcome, job.botId)
    },
    onGroupBacklog: async (projectId, chatId, minutes) => {
      const project = projectOf(projectId)
      if (project) await alarmGroupBacklog(deps, project, chatId, minutes)
    },
    onProfileCardSent: async (topicId, chatId, messageId, botId) => {
      // A card posted after an owner, tags or notes were set (a new CR topic, a recreated topic) gets them.
      const edits = await recordProfileCard(deps.db, { topicId, chatId, messageId, botId }, async (tx, topic) => {
        const project = projectOf(topic.projectId)
        return project ? queueProfileCardEdits(tx, project, topic.customerId, topicId) : 0
      })
      if (edits) deps.notify()
    },
  }
}

/** Where a sent row's outcome lands in the domain tables (delivery tests use these alone). */
export function deliveryRecords(db: Database): Pick<DeliveryHooks, 'onTopicCreated' | 'onTopicReopened' | 'onTopicRecreated' | 'onSystemTopicCreated' | 'onAssignmentCardSent'> {
  return {
    async onTopicReopened(topicId) {
      // Only a closed topic becomes open: a retired or deleted one keeps its state.
      await db
        .update(topics)
        .set({ state: sql`IF(${topics.state} = 'closed', 'open', ${topics.state})` })
        .where(eq(topics.id, topicId))
    },
    async onTopicRecreated(topicId, threadId) {
      await db.update(topics).set({ threadId, state: 'open' }).where(eq(topics.id, topicId))
    },
    async onTopicCreated(topicId, threadId) {
      // Only a topic still being created becomes open: one retired meanwhile (Treatment closed at once) stays retired.
      await db
        .update(topics)
        .set({ threadId, state: sql`IF(${topics.state} = 'creating', 'open', ${topics.state})` })
        .where(eq(topics.id, topicId))
    },
    async onSystemTopicCreated(systemTopicId, threadId) {
      await db.update(systemTopics).set({ threadId }).where(eq(systemTopics.id, systemTopicId))
    },
    async onAssignmentCardSent(assignmentId, chatId, messageId) {
      await db.update(assignments).set({ cardChatId: chatId, cardMessageId: messageId }).where(eq(assignments.id, assignmentId))
    },
  }
}
