import { eq } from 'drizzle-orm'
import { retryTransient } from '../../db/errors.js'
import { findLink, messageIdInChat, unsentAlbumLinks } from '../../db/repositories/relay.js'
import { relayLinks } from '../../db/schema/index.js'
import { albumSteps } from '../album.js'
import { PermanentJobError } from '../classify-error.js'
import { progressStoreOf } from '../outbox.js'
import { linkDestination, loadLinkContent, relayCopy } from '../send-content.js'
import { messagesLeft, runSteps, type ProgressStore, type SendStep } from '../send-steps.js'
import type { ExecutorDeps, JobModule, JobOf } from './module.js'
import { relayMessages } from './relay.js'

/**
 * Post the not-yet-sent parts of an album as one sendMediaGroup (oversize parts become
 * placeholders right after it). Each part queues a job; the first sends all parts that arrived,
 * the others find nothing left (and weigh nothing). The parts are fixed in the row's progress by
 * the first step, so a retry finishes the same plan.
 */
export const relayAlbum: JobModule<JobOf<'relay_album'>> = {
  type: 'relay_album',
  poolable: true,
  conversation: true,
  async messages(deps, claimed) {
    const plan = await albumJob(deps, claimed.job.firstLinkId, claimed.job.mediaGroupId, claimed.botId, progressStoreOf(deps.db, claimed))
    if (plan === 'sent') return 0
    return 'single' in plan ? relayMessages(deps, plan.single, claimed) : messagesLeft(plan.steps, claimed.progress)
  },
  async send(deps, claimed, progress) {
    const { job, botId } = claimed
    const plan = await albumJob(deps, job.firstLinkId, job.mediaGroupId, botId, progress)
    if (plan === 'sent') return { alreadySent: true }
    if ('single' in plan) return relayCopy(deps, plan.single, botId, progress)
    const messageId = await runSteps(plan.steps, progress, { parts: plan.linkIds })
    return { messageId, parts: plan.linkIds.length }
  },
}

/** The steps of an album job: 'sent' when nothing is left, `single` when one part remains (a plain relay). */
async function albumJob(
  deps: ExecutorDeps,
  firstLinkId: number,
  mediaGroupId: string,
  botId: number,
  progress: ProgressStore,
): Promise<{ steps: SendStep[]; linkIds: number[] } | { single: number } | 'sent'> {
  const firstLink = await findLink(deps.db, firstLinkId)
  if (!firstLink) throw new PermanentJobError(`Relay link ${firstLinkId} is gone`)
  const linkIds = progress.done.parts ?? (await unsentAlbumLinks(deps.db, firstLink, mediaGroupId))
  if (linkIds.length === 0) return 'sent'
  if (linkIds.length === 1 && !progress.done.parts) return { single: linkIds[0]! }
  const parts = await Promise.all(linkIds.map((id) => loadLinkContent(deps, id)))
  const first = parts[0]!
  const to = await linkDestination(deps, first.link, first.topic)
  const replyTo = first.message.replyToRowId ? await messageIdInChat(deps.db, first.message.replyToRowId, to.chatId) : undefined
  const record = (ids: number[], messageIds: number[]) =>
    retryTransient(() =>
      deps.db.transaction(async (tx) => {
        for (const [i, id] of ids.entries())
          await tx
            .update(relayLinks)
            .set({ copyMessageId: messageIds[i] ?? null, threadId: to.threadId ?? null, botId })
            .where(eq(relayLinks.id, id))
      }),
    )
  const steps = albumSteps(
    deps,
    botId,
    first.message.botId,
    to,
    parts.map((p) => ({ linkId: p.link.id, content: p.content })),
    { header: first.link.header ?? undefined, replyToMessageId: replyTo },
    record,
  )
  return { steps, linkIds }
}
