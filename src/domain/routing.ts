import type { DbOrTx } from '../db/client.js'
import type { MessageRow } from '../db/repositories/relay.js'
import { relayLinks } from '../db/schema/index.js'
import { projectRow } from '../db/project-scope.js'
import { insertRowsWithIds } from '../db/insert-ids.js'
import { activeTopics, type Topic } from './customers.js'
import type { OutboxJob } from '../delivery/jobs.js'
import { enqueueAllTo, enqueueTo, routeOf, type AddressedJob, type Address, type EnqueueToOptions } from './enqueue-to.js'
import { touchTopics } from './idle-topics.js'
import { reopenClosedTopic } from './topic-state.js'
import { staffGroups, type ProjectRuntime, type StaffGroup } from './project-runtime.js'
import type { AssignmentChoice } from './roles.js'
import type { CopyTarget, CopyVariant } from './relay/policies/policy.js'

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
  /** The copy's own text, when a relay policy rewrote it (stored on the relay link, rendered instead of the original's). */
  variant?: CopyVariant
}

/** What a relay policy sees of a copy: where it goes. */
export function copyTargetOf(route: CopyRoute): CopyTarget {
  return route.topic ? { to: 'topic', chatId: route.chatId, topicId: route.topic.id, kind: route.kind } : { to: 'client', chatId: route.chatId, kind: route.kind }
}

/** The message fields routing reads (a message about to be stored has them too). */
export type RoutedMessage = Pick<MessageRow, 'origin' | 'customerId' | 'senderRole' | 'chatId'>

/** How a staff message is passed on: its attribution ("Alice · CS"), and whether the client (this private chat) gets it. */
export interface StaffCopyContext {
  attribution: string
  toClient: boolean
  clientChatId: number
  /** The header of its mirrors in the customer's other topics ("Alice · CS → client"), in the staff's words. */
  mirrorHeader: string
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
export async function routeMessage(db: DbOrTx, message: RoutedMessage, staff?: StaffCopyContext, known?: Topic[]): Promise<CopyRoute[]> {
  const topics = known ?? (await activeTopics(db, message.customerId))
  if (message.origin === 'client' || !staff) return topics.map((topic) => topicRoute(topic, 'relay'))
  const routes: CopyRoute[] = []
  if (staff.toClient) {
    const from = message.senderRole ?? undefined
    routes.push({ address: { kind: 'client', chatId: staff.clientChatId, from }, chatId: staff.clientChatId, kind: 'relay', header: staff.attribution })
  }
  for (const topic of topics) if (topic.chatId !== message.chatId) routes.push(topicRoute(topic, 'mirror', staff.mirrorHeader))
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

/** Options of one queued copy. */
export interface CopyOptions {
  /** Replayed history is complete already: album parts need not wait for siblings. */
  noAlbumWait?: boolean
  /** Return the outbox row id instead of the relay link id. */
  returnOutboxId?: boolean
  /** A reassignment's replay goes in the replay stream, apart from live traffic. */
  stream?: 'replay'
}

/** Records one copy (relay link) and queues the job that posts it. */
export async function queueCopy(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, route: CopyRoute, now: Date, options: CopyOptions = {}): Promise<number> {
  const linkId = await insertLink(tx, project, message, route)
  const outboxId = await enqueueTo(tx, project, route.address, copyJob(message, linkId), copyEnqueueOptions(project, message, options))
  if (route.topic) await touchTopics(tx, [route.topic], now)
  return options.returnOutboxId ? outboxId : linkId
}

/**
 * Queues the copies `routeMessage` decides on; a closed topic (idle, or resolved by hand) is
 * reopened before a client message goes in. The copies' jobs go in one insert, their topics are
 * touched in one update (none touched in the last minutes). `known`: the customer's active topics
 * when the caller read them in this transaction (the relay's locking read), else they are read.
 */
export async function queueMessageCopies(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, now: Date, staff?: StaffCopyContext, known?: Topic[]): Promise<void> {
  await queueRoutedCopies(tx, project, message, await routeMessage(tx, message, staff, known), now)
}

/** Queues the copies of `routeMessage`'s routes (the relay pipeline's, a variant on some): see queueMessageCopies. */
export async function queueRoutedCopies(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, routes: CopyRoute[], now: Date): Promise<number[]> {
  for (const route of routes) if (route.kind === 'relay' && route.topic?.state === 'closed') await reopenClosedTopic(tx, project, route.topic, now)
  const linkIds = await insertLinks(tx, project, message, routes)
  const jobs: AddressedJob[] = routes.map((route, i) => ({ address: route.address, job: copyJob(message, linkIds[i]!), options: copyEnqueueOptions(project, message) }))
  await enqueueAllTo(tx, project, jobs)
  await touchTopics(
    tx,
    routes.flatMap((route) => (route.topic ? [route.topic] : [])),
    now,
  )
  return linkIds
}

/**
 * The relay links of a message's copies, their ids in `routes` order: the ids each copy's job
 * carries. One multi-row insert where the database numbers its rows consecutively, else one
 * insert per link (src/db/insert-ids.ts).
 */
async function insertLinks(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, routes: CopyRoute[]): Promise<number[]> {
  return insertRowsWithIds(
    tx,
    relayLinks,
    routes.map((route) => linkRow(project, message, route)),
    project.multiRowInsertIds === true,
  )
}

/** The relay link of one copy; its id is what the copy's job carries (one insert, so the id is exact). */
async function insertLink(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, route: CopyRoute): Promise<number> {
  const [link] = await tx.insert(relayLinks).values(linkRow(project, message, route))
  return Number(link.insertId)
}

function linkRow(project: ProjectRuntime, message: MessageRow, route: CopyRoute) {
  return projectRow(relayLinks, project.id, {
    messageId: message.id,
    topicId: route.topic?.id,
    chatId: route.chatId,
    botId: routeOf(project, route.address).botId,
    kind: route.kind,
    header: route.header,
    ...(route.variant ? { variant: JSON.stringify(route.variant) } : {}),
  })
}

function copyJob(message: MessageRow, linkId: number): OutboxJob {
  const album = message.mediaGroupId
  return album ? { type: 'relay_album', firstLinkId: linkId, mediaGroupId: album } : { type: 'relay', linkId }
}

function copyEnqueueOptions(project: ProjectRuntime, message: MessageRow, options: CopyOptions = {}): EnqueueToOptions {
  return {
    ...(options.stream ? { stream: options.stream } : {}),
    ...(message.mediaGroupId && !options.noAlbumWait ? { delayMs: project.albumWindowMs } : {}),
  }
}
