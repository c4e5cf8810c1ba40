import type { DbOrTx } from '../../db/client.js'
import { relayLinks } from '../../db/schema/index.js'
import type { MessageRow, RelayLinkRow } from '../../db/repositories/relay.js'
import { destinationKey, type Target } from '../../delivery/jobs.js'
import { enqueue } from '../../delivery/outbox.js'
import { activeTopics, laneForTopic, type Topic } from '../customers.js'
import type { Lane } from '../../db/schema/index.js'
import { botForRole, clientBot, staffGroupOf, type ProjectRuntime } from '../project-runtime.js'
import { touchTopic } from '../idle-topics.js'
import { reopenClosedTopic } from '../topic-state.js'

/** How long album parts wait for their siblings before the album is sent. */
export let albumWindowMs = 600
export function setAlbumWindow(ms: number): void {
  albumWindowMs = ms
}

export interface CopyPlan {
  target: Target
  chatId: number
  topicId?: number
  botId: number
  lane: Lane
  kind: 'relay' | 'mirror' | 'replay'
  header?: string
  /** The topic's last activity as read, so a recent one is not written again. */
  topicLastActivityAt?: Date | null
}

/** Options of one queued copy. */
export interface CopyOptions {
  /** Replayed history is complete already: album parts need not wait for siblings. */
  noAlbumWait?: boolean
  /** Return the outbox row id instead of the relay link id. */
  returnOutboxId?: boolean
}

/** The lane for work on a message in a chat: a staff group's lane, or staff→client for a private chat. */
export function laneForChat(project: ProjectRuntime, chatId: number): Lane {
  const group = staffGroupOf(project, chatId)
  if (!group) return 'staff_to_client'
  return laneForTopic(group.role)
}

/** Where later work on a copy (edit, delete) is queued: behind the other rows of its topic or chat. */
export function targetOfLink(link: Pick<RelayLinkRow, 'topicId' | 'chatId'>): Target {
  return link.topicId ? { kind: 'topic', topicId: link.topicId } : { kind: 'chat', chatId: link.chatId }
}

/** Records one copy (relay link) and queues the job that posts it. */
export async function queueCopy(tx: DbOrTx, projectId: number, message: MessageRow, plan: CopyPlan, options: CopyOptions = {}): Promise<number> {
  const [link] = await tx.insert(relayLinks).values({
    projectId,
    messageId: message.id,
    topicId: plan.topicId,
    chatId: plan.chatId,
    botId: plan.botId,
    kind: plan.kind,
    header: plan.header,
  })
  const linkId = Number(link.insertId)
  const album = message.mediaGroupId
  const outboxId = await enqueue(tx, {
    projectId,
    lane: plan.lane,
    destination: destinationKey(plan.target),
    botId: plan.botId,
    job: album ? { type: 'relay_album', firstLinkId: linkId, mediaGroupId: album } : { type: 'relay', linkId },
    ...(album && !options.noAlbumWait ? { delayMs: albumWindowMs } : {}),
  })
  if (plan.topicId) await touchTopic(tx, plan.topicId, new Date(), plan.topicLastActivityAt)
  return options.returnOutboxId ? outboxId : linkId
}

export function topicCopyPlan(project: ProjectRuntime, topic: Topic, kind: CopyPlan['kind'], header?: string): CopyPlan {
  return {
    target: { kind: 'topic', topicId: topic.id },
    chatId: topic.chatId,
    topicId: topic.id,
    botId: botForRole(project, topic.role).id,
    lane: laneForTopic(topic.role),
    kind,
    header,
    topicLastActivityAt: topic.lastActivityAt,
  }
}

/** A client message goes to every active topic of the customer; a closed one (idle, or resolved by hand) is reopened first. */
export async function queueRelayCopies(tx: DbOrTx, project: ProjectRuntime, message: MessageRow): Promise<void> {
  for (const topic of await activeTopics(tx, message.customerId)) {
    if (topic.state === 'closed') await reopenClosedTopic(tx, project, topic)
    await queueCopy(tx, project.id, message, topicCopyPlan(project, topic, 'relay'))
  }
}

/** A staff message goes to the client (attributed) and is mirrored into the customer's other topics. */
export async function queueStaffCopies(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, telegramUserId: number, attribution: string, options: { toClient: boolean }): Promise<void> {
  if (options.toClient) {
    await queueCopy(tx, project.id, message, {
      target: { kind: 'chat', chatId: telegramUserId },
      chatId: telegramUserId,
      botId: clientBot(project).id,
      lane: message.senderRole === 'treatment' ? 'treatment' : 'staff_to_client',
      kind: 'relay',
      header: attribution,
    })
  }
  const mirrorHeader = options.toClient ? `${attribution} → client` : `${attribution} (not delivered)`
  for (const topic of await activeTopics(tx, message.customerId)) {
    if (topic.chatId === message.chatId) continue
    await queueCopy(tx, project.id, message, topicCopyPlan(project, topic, 'mirror', mirrorHeader))
  }
}
