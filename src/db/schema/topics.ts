import { datetime, index, int, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { projectScope, rowId, telegramId, timestamps, primaryId } from './columns.js'

/** A staff role's key, as the role registry (`domain/roles.ts`) defines it. */
export type TopicRole = string
/** closed: by hand or for idleness (reopened on the next client message); retired: replaced or ended (reassignment, Treatment closed). */
export const topicStates = ['creating', 'open', 'closed', 'deleted', 'retired'] as const
/** States of a topic that takes relayed messages now (a closed one is reopened by the next client message). */
export const activeTopicStates = ['creating', 'open', 'closed'] as const

/**
 * A customer's forum topic in one staff group. `generation` grows when a topic is replaced
 * (reassignment, recovery), so the unique key makes creation idempotent per generation.
 */
export const topics = mysqlTable(
  'topics',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    role: varchar('role', { length: 16 }).notNull(),
    teamKey: varchar('team_key', { length: 64 }).notNull(),
    chatId: telegramId('chat_id').notNull(),
    threadId: telegramId('thread_id'),
    name: varchar('name', { length: 128 }).notNull(),
    state: varchar('state', { length: 16, enum: topicStates }).notNull().default('creating'),
    generation: int('generation', { unsigned: true }).notNull().default(0),
    /** Last time a message was relayed into or out of this topic (idle auto-close). */
    lastActivityAt: datetime('last_activity_at', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [uniqueIndex('topics_customer_role_gen_uq').on(t.customerId, t.role, t.generation), index('topics_chat_thread_idx').on(t.chatId, t.threadId)],
)

/** Per-group topics the system itself owns, such as the CS "Onboarding" topic. */
export const systemTopics = mysqlTable(
  'system_topics',
  {
    id: primaryId(),
    ...projectScope,
    chatId: telegramId('chat_id').notNull(),
    purpose: varchar('purpose', { length: 32 }).notNull(),
    threadId: telegramId('thread_id'),
    ...timestamps,
  },
  (t) => [uniqueIndex('system_topics_chat_purpose_uq').on(t.projectId, t.chatId, t.purpose)],
)
