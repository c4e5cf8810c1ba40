import type { DbOrTx } from '../db/client.js'
import type { MessageRow } from '../db/repositories/relay.js'
import { activeTopics, type Topic } from './customers.js'
import type { Address } from './enqueue-to.js'
import { staffGroups, type ProjectRuntime, type StaffGroup } from './project-runtime.js'
import type { AssignmentChoice } from './roles.js'

/**
 * One copy of a message: where it goes and as what. 'relay' is the message passed on, 'mirror'
 * a staff reply shown in the customer's other topics, 'replay' history given to a new topic.
 */
export interface CopyRoute {
  address: Address
  /** The Telegram chat of the copy (recorded on the relay link). */
  chatId: number
  /** The topic the copy goes into (reopened first when closed), if any. */
  topic?: Topic
  kind: 'relay' | 'mirror' | 'replay'
  header?: string
}

/** How a staff message is passed on: its attribution ("Alice · CS"), and whether the client (this private chat) gets it. */
export interface StaffCopyContext {
  attribution: string
  toClient: boolean
  clientChatId: number
}

/** A copy into a customer's topic. */
export function topicRoute(topic: Topic, kind: CopyRoute['kind'], header?: string): CopyRoute {
  return { address: { kind: 'topic', topic }, chatId: topic.chatId, topic, kind, header }
}

/**
 * Who gets a copy of a message, the one rule: a client message goes to every active topic of
 * the customer; a staff message goes to the client (attributed, unless it must not) and is
 * mirrored into the customer's other active topics.
 */
export async function routeMessage(db: DbOrTx, message: MessageRow, staff?: StaffCopyContext): Promise<CopyRoute[]> {
  const topics = await activeTopics(db, message.customerId)
  if (message.origin === 'client' || !staff) return topics.map((topic) => topicRoute(topic, 'relay'))
  const routes: CopyRoute[] = []
  if (staff.toClient) {
    const from = message.senderRole ?? undefined
    routes.push({ address: { kind: 'client', chatId: staff.clientChatId, from }, chatId: staff.clientChatId, kind: 'relay', header: staff.attribution })
  }
  const mirrorHeader = staff.toClient ? `${staff.attribution} → client` : `${staff.attribution} (not delivered)`
  for (const topic of topics) if (topic.chatId !== message.chatId) routes.push(topicRoute(topic, 'mirror', mirrorHeader))
  return routes
}

/** The staff groups a newly assigned customer gets a topic in (each role's registry rule decides). */
export function groupsAtAssignment(project: ProjectRuntime, choice: AssignmentChoice): StaffGroup[] {
  return staffGroups(project).filter((group) => project.roles.find((role) => role.key === group.role)?.opensAtAssignment(choice, group))
}

/** The customer's active topic of a role (reassignment and Treatment work on one of them). */
export async function activeTopicOfRole(db: DbOrTx, customerId: number, role: string): Promise<Topic | undefined> {
  return (await activeTopics(db, customerId)).find((topic) => topic.role === role)
}
