import { eq, inArray } from 'drizzle-orm'
import { inProject } from '../db/project-scope.js'
import type { DbOrTx } from '../db/client.js'
import { topics, type TopicRole } from '../db/schema/index.js'
import type { ProjectRuntime } from './project-runtime.js'

/** Said to whoever presses a button whose data does not belong to the message or its customer. */
export const NOT_THIS_MESSAGE = 'buttonNotThisMessage'

/**
 * True when a message at (chat, thread) is in one of the customer's topics of these roles in this
 * project: a button posted in a customer's topic acts for that customer only, so data naming
 * another customer (copied or forged) is refused.
 */
export async function isCustomerTopic(db: DbOrTx, project: ProjectRuntime, at: { chatId: number; threadId?: number }, customerId: number, roles: TopicRole[]): Promise<boolean> {
  if (!at.threadId) return false
  const [topic] = await db
    .select({ id: topics.id })
    .from(topics)
    .where(inProject(topics, project.id, eq(topics.customerId, customerId), eq(topics.chatId, at.chatId), eq(topics.threadId, at.threadId), inArray(topics.role, roles)))
    .limit(1)
  return Boolean(topic)
}
