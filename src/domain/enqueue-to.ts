import { and, eq, max } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { outbox, type Lane } from '../db/schema/index.js'
import { destinationOf, encodeDestination, type Destination, type Target } from '../delivery/destination.js'
import type { OutboxJob } from '../delivery/jobs.js'
import { enqueue, enqueueMany, type EnqueueInput } from '../delivery/queue.js'
import { replaceWaitingEdit } from '../delivery/waiting-edits.js'
import { botForRole, clientBot, staffGroupOf, type ProjectRuntime } from './project-runtime.js'
import { homeRole, PROMPT_LANE, REPLAY_LANE, roleDefinition } from './roles.js'

/**
 * Where the domain sends something, in its own terms; `enqueueTo` turns it into the stored
 * destination, the bot that sends and the lane.
 * - `topic`: a customer's topic; the topic role's bot, the role's lane.
 * - `system_topic`: a system topic of the home group (Onboarding); the home role's bot.
 * - `client`: a client's private chat; the client bot; a staff reply keeps the lane of the role
 *   it comes from (`from`).
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
   * The stream apart from live traffic this row belongs to: the home group's prompts and cards
   * ('prompt'), a reassignment's replay and cleanup ('replay').
   */
  stream?: 'prompt' | 'replay'
  /** Send through this bot instead of the address's (the bot that just recovered the topic). */
  via?: number
  /** Neither wait behind nor hold back the destination's ordered rows (see `Destination`). */
  aside?: boolean
  dependsOn?: number
  delayMs?: number
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
  return destinationOf(targetOfAddress(address), routeOf(project, address, options).botId, options)
}

/** The lane and bot of an address, from the role registry. */
export function routeOf(project: ProjectRuntime, address: Address, options: EnqueueToOptions = {}): { lane: Lane; botId: number } {
  const stream = options.stream === 'prompt' ? PROMPT_LANE : options.stream === 'replay' ? REPLAY_LANE : undefined
  const pick = (lane: Lane, botId: number) => ({ lane: stream ?? lane, botId: options.via ?? botId })
  switch (address.kind) {
    case 'topic':
      return pick(roleDefinition(project.roles, address.topic.role).lane, botForRole(project, address.topic.role).id)
    case 'system_topic': {
      const home = homeRole(project.roles)
      return pick(PROMPT_LANE, botForRole(project, home.key).id)
    }
    case 'client':
      return pick(address.from ? roleDefinition(project.roles, address.from).replyLane : 'staff_to_client', clientBot(project).id)
    case 'posted': {
      const group = staffGroupOf(project, address.chatId)
      return pick(group ? roleDefinition(project.roles, group.role).lane : 'staff_to_client', address.botId)
    }
  }
}

/**
 * Queues one job for an address inside the caller's transaction; the lane and bot follow from
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
  const { lane, botId } = routeOf(project, address, options)
  return {
    projectId: project.id,
    lane,
    destination: encodeDestination(destinationOf(targetOfAddress(address), botId, options)),
    botId,
    job,
    ...(options.dependsOn !== undefined ? { dependsOn: options.dependsOn } : {}),
    ...(options.delayMs ? { delayMs: options.delayMs } : {}),
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
  const { lane, botId } = routeOf(project, address, options)
  const destination = encodeDestination(destinationOf(targetOfAddress(address), botId, options))
  for (let i = 0; i < jobs.length; i += INSERT_CHUNK) {
    await enqueueMany(
      tx,
      jobs.slice(i, i + INSERT_CHUNK).map((job) => ({ projectId: project.id, lane, destination, botId, job })),
    )
  }
  const [last] = await tx
    .select({ id: max(outbox.id) })
    .from(outbox)
    .where(and(eq(outbox.destination, destination), eq(outbox.projectId, project.id)))
  return last?.id ?? undefined
}

/** Rows per multi-row insert: large enough to save round trips, small enough for any packet size. */
export const INSERT_CHUNK = 500
