import { eq, max } from 'drizzle-orm'
import { inProject } from '../db/project-scope.js'
import type { DbOrTx } from '../db/client.js'
import { outbox, type PriorityClass } from '../db/schema/index.js'
import { destinationOf, encodeDestination, type Destination, type Target } from '../delivery/destination.js'
import type { OutboxJob } from '../delivery/jobs.js'
import { enqueue, enqueueMany, type EnqueueInput } from '../delivery/queue.js'
import { replaceWaitingEdit } from '../delivery/waiting-edits.js'
import { botForRole, clientBot, type ProjectRuntime } from './project-runtime.js'
import { homeRole } from './roles.js'

/**
 * Where the domain sends something, in its own terms; `enqueueTo` turns it into the stored
 * destination, the bot that sends and the priority class (`live` unless the options say otherwise).
 * - `topic`: a customer's topic; the topic role's bot.
 * - `system_topic`: a system topic of the home group (Onboarding); the home role's bot, `prompt`.
 * - `client`: a client's private chat; the client bot (`from`: the role a staff reply comes from).
 * - `posted`: work on a message already in a chat (edit, delete, react): the bot that posted or
 *   received it, queued behind its topic's rows when it is in one.
 */
export type Address =
  | { kind: 'topic'; topic: { id: number; role: string } }
  | { kind: 'system_topic'; systemTopicId: number }
  | { kind: 'client'; chatId: number; from?: string }
  | { kind: 'posted'; chatId: number; botId: number; topicId?: number | null }

export interface EnqueueToOptions {
  /**
   * The priority class of a row that is not the live relay: the home group's prompts and cards
   * ('prompt'), a reassignment's replay and cleanup ('replay'), a send to many ('bulk': only what
   * the other classes leave of each budget, ordered only among the target's bulk rows).
   */
  stream?: Exclude<PriorityClass, 'live'>
  /** Send through this bot instead of the address's (the bot that just recovered the topic). */
  via?: number
  /** Neither wait behind nor hold back the destination's ordered rows (see `Destination`). */
  aside?: boolean
  dependsOn?: number
  delayMs?: number
  /** The broadcast a bulk row belongs to (its progress and Cancel go by it). */
  broadcastId?: number
}

/** Work on a relayed copy (edit, delete) goes through the bot that posted it, behind its topic's rows. */
export function postedCopy(link: { chatId: number; botId: number; topicId: number | null }): Address {
  return { kind: 'posted', chatId: link.chatId, botId: link.botId, topicId: link.topicId }
}

/** The target an address posts into. */
export function targetOfAddress(address: Address): Target {
  switch (address.kind) {
    case 'topic':
      return { kind: 'topic', topicId: address.topic.id }
    case 'system_topic':
      return { kind: 'system_topic', systemTopicId: address.systemTopicId }
    case 'client':
      return { kind: 'chat', chatId: address.chatId }
    case 'posted':
      return address.topicId ? { kind: 'topic', topicId: address.topicId } : { kind: 'chat', chatId: address.chatId }
  }
}

/** The destination of an address (what `hasWaitingJob` and the outbox order by): a private chat is its bot's. */
export function destinationOfAddress(project: ProjectRuntime, address: Address, options: EnqueueToOptions = {}): Destination {
  return destinationOf(targetOfAddress(address), routeOf(project, address, options).botId, streamOf(options))
}

/** The ordering stream of a row: its own for a bulk row (see `Destination`). */
function streamOf(options: EnqueueToOptions): { aside?: boolean; bulk?: boolean } {
  return { ...(options.aside ? { aside: true } : {}), ...(options.stream === 'bulk' ? { bulk: true } : {}) }
}

/** The priority class and bot of an address, from the role registry. */
export function routeOf(project: ProjectRuntime, address: Address, options: EnqueueToOptions = {}): { class: PriorityClass; botId: number } {
  const pick = (priorityClass: PriorityClass, botId: number) => ({ class: options.stream ?? priorityClass, botId: options.via ?? botId })
  switch (address.kind) {
    case 'topic':
      return pick('live', botForRole(project, address.topic.role).id)
    case 'system_topic':
      return pick('prompt', botForRole(project, homeRole(project.roles).key).id)
    case 'client':
      return pick('live', clientBot(project).id)
    case 'posted':
      return pick('live', address.botId)
  }
}

/**
 * Queues one job for an address inside the caller's transaction; the class and bot follow from
 * the address. An edit of a message whose earlier edit still waits replaces that one's content
 * (one call, not two, against the group's budget). Returns the outbox row id.
 */
export async function enqueueTo(tx: DbOrTx, project: ProjectRuntime, address: Address, job: OutboxJob, options: EnqueueToOptions = {}): Promise<number> {
  const input = enqueueInput(project, { address, job, options })
  const merged = job.type === 'edit_text' && options.dependsOn === undefined ? await replaceWaitingEdit(tx, project.id, input.destination, job) : undefined
  return merged ?? enqueue(tx, input)
}

/** A job for an address, with its options (an item of `enqueueAllTo`). */
export interface AddressedJob {
  address: Address
  job: OutboxJob
  options?: EnqueueToOptions
}

/** `enqueueTo` for several jobs in one insert (the copies of one message). */
export async function enqueueAllTo(tx: DbOrTx, project: ProjectRuntime, jobs: AddressedJob[]): Promise<void> {
  await enqueueMany(
    tx,
    jobs.map((item) => enqueueInput(project, item)),
  )
}

function enqueueInput(project: ProjectRuntime, { address, job, options = {} }: AddressedJob): EnqueueInput {
  const { class: priorityClass, botId } = routeOf(project, address, options)
  return {
    projectId: project.id,
    class: priorityClass,
    destination: encodeDestination(destinationOf(targetOfAddress(address), botId, streamOf(options))),
    botId,
    job,
    ...(options.dependsOn !== undefined ? { dependsOn: options.dependsOn } : {}),
    ...(options.delayMs ? { delayMs: options.delayMs } : {}),
    ...(options.broadcastId !== undefined ? { broadcastId: options.broadcastId } : {}),
  }
}

/**
 * Queues many jobs for one address in one multi-row insert per chunk (a reassignment's replay),
 * in order; returns the outbox id of the last one. Only for a destination no other transaction
 * can queue into meanwhile (a topic created in the caller's transaction).
 */
export async function enqueueManyTo(
  tx: DbOrTx,
  project: ProjectRuntime,
  address: Address,
  jobs: readonly OutboxJob[],
  options: EnqueueToOptions = {},
): Promise<number | undefined> {
  if (jobs.length === 0) return undefined
  const { class: priorityClass, botId } = routeOf(project, address, options)
  const destination = encodeDestination(destinationOf(targetOfAddress(address), botId, streamOf(options)))
  for (let i = 0; i < jobs.length; i += INSERT_CHUNK) {
    await enqueueMany(
      tx,
      jobs.slice(i, i + INSERT_CHUNK).map((job) => ({ projectId: project.id, class: priorityClass, destination, botId, job })),
    )
  }
  const [last] = await tx
    .select({ id: max(outbox.id) })
    .from(outbox)
    .where(inProject(outbox, project.id, eq(outbox.destination, destination)))
  return last?.id ?? undefined
}

/** Rows per multi-row insert: large enough to save round trips, small enough for any packet size. */
export const INSERT_CHUNK = 500
