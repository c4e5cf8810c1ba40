import type { DbOrTx } from '../../db/client.js'
import { relayLinks } from '../../db/schema/index.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { enqueueTo, routeOf } from '../enqueue-to.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { touchTopic } from '../idle-topics.js'
import { reopenClosedTopic } from '../topic-state.js'
import { routeMessage, type CopyRoute, type StaffCopyContext } from '../routing.js'

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
export async function queueCopy(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, route: CopyRoute, options: CopyOptions = {}): Promise<number> {
  const { botId } = routeOf(project, route.address)
  const [link] = await tx.insert(relayLinks).values({
    projectId: project.id,
    messageId: message.id,
    topicId: route.topic?.id,
    chatId: route.chatId,
    botId,
    kind: route.kind,
    header: route.header,
  })
  const linkId = Number(link.insertId)
  const album = message.mediaGroupId
  const outboxId = await enqueueTo(tx, project, route.address, album ? { type: 'relay_album', firstLinkId: linkId, mediaGroupId: album } : { type: 'relay', linkId }, {
    ...(options.stream ? { stream: options.stream } : {}),
    ...(album && !options.noAlbumWait ? { delayMs: project.albumWindowMs } : {}),
  })
  if (route.topic) await touchTopic(tx, route.topic.id, new Date(), route.topic.lastActivityAt)
  return options.returnOutboxId ? outboxId : linkId
}

/**
 * Queues the copies `routeMessage` decides on; a closed topic (idle, or resolved by hand) is
 * reopened before a client message goes in.
 */
export async function queueMessageCopies(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, staff?: StaffCopyContext): Promise<void> {
  for (const route of await routeMessage(tx, message, staff)) {
    if (route.kind === 'relay' && route.topic?.state === 'closed') await reopenClosedTopic(tx, project, route.topic)
    await queueCopy(tx, project, message, route)
  }
}
