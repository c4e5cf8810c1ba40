import type { InputMediaPhoto } from 'grammy/types'
import { eq } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { relayLinks, systemTopics } from '../db/schema/index.js'
import { countNotRelayed, findLink, findTopic, messageIdInChat, unsentAlbumLinks } from '../db/repositories/relay.js'
import { retryTransient } from '../db/errors.js'
import { classifyTelegramError, PermanentJobError } from './classify-error.js'
import type { TelegramGateway } from './gateway.js'
import type { DeliveryHooks } from './hooks.js'
import { progressStoreOf, type ClaimedJob } from './outbox.js'
import type { OutboxJob, ReplyRef, Target } from './jobs.js'
import { CAPTION_LIMIT, splitText, TEXT_LIMIT, withHeader, type Content } from './render.js'
import { albumSteps } from './album.js'
import { combinedCopyParts, combinedText } from './coalesce.js'
import {
  contentSteps,
  fileInput,
  linkDestination,
  loadLinkContent,
  relayCopy,
  rememberFile,
  sendContent,
  topicDestination,
  uploader,
  type Destination,
  type SendDeps,
} from './send-content.js'
import { messagesLeft, runSteps, type ProgressStore, type SendStep } from './send-steps.js'

// The jobs other than a plain relayed copy (`relayCopy`, send-content.ts), each called from the worker's job switch.

/** Media kinds editMessageMedia accepts; others are re-sent as an edit note. */
const editableMedia = new Set(['photo', 'video', 'animation', 'audio', 'document'])

export interface ExecutorDeps extends SendDeps {
  db: Database
  /** Where what a send produced for the domain (a topic's thread, a card's message) is reported. */
  hooks?: DeliveryHooks
}

/**
 * How many Telegram messages a job will still post (each part of a split text, each album
 * item, a caption's follow-up): what the planner counts against the rate budgets.
 */
export async function messagesOfJob(deps: ExecutorDeps, claimed: ClaimedJob): Promise<number> {
  const job = claimed.job
  if (job.type === 'text') return Math.max(1, splitText(job.text, job.entities ?? []).length - (claimed.progress?.sent ?? 0))
  if (job.type === 'relay') return relayMessages(deps, job.linkId, claimed)
  if (job.type !== 'relay_album') return 1
  // Each part of an album queues a job; the first sends them all, the others find nothing left and weigh nothing.
  const plan = await albumJob(deps, job.firstLinkId, job.mediaGroupId, claimed.botId, progressStoreOf(deps.db, claimed))
  if (plan === 'sent') return 0
  return 'single' in plan ? relayMessages(deps, plan.single, claimed) : messagesLeft(plan.steps, claimed.progress)
}

async function relayMessages(deps: ExecutorDeps, linkId: number, claimed: ClaimedJob): Promise<number> {
  const { link, message, content } = await loadLinkContent(deps, linkId)
  if (link.copyMessageId) return 0
  return messagesLeft(contentSteps(deps, claimed.botId, message.botId, { chatId: link.chatId }, content, { header: link.header ?? undefined }), claimed.progress)
}

async function ignoreNotModified<T>(call: () => Promise<T>): Promise<T | { notModified: true }> {
  try {
    return await call()
  } catch (error) {
    if (classifyTelegramError(error).kind === 'not_modified') return { notModified: true }
    throw error
  }
}

async function resolveTarget(deps: ExecutorDeps, target: Target): Promise<Destination> {
  if (target.kind === 'chat') return { chatId: target.chatId }
  if (target.kind === 'topic') return topicDestination(deps, target.topicId)
  const [row] = await deps.db.select().from(systemTopics).where(eq(systemTopics.id, target.systemTopicId))
  if (!row?.threadId) throw new PermanentJobError(`System topic ${target.systemTopicId} has no thread yet`)
  return { chatId: row.chatId, threadId: row.threadId }
}

async function replyId(deps: ExecutorDeps, ref: ReplyRef | undefined, chatId: number): Promise<number | undefined> {
  if (!ref) return undefined
  if ('messageId' in ref) return ref.messageId
  if ('linkId' in ref) return (await findLink(deps.db, ref.linkId))?.copyMessageId ?? undefined
  return messageIdInChat(deps.db, ref.originalMessageRowId, chatId)
}

/**
 * Posts the album parts not yet sent as one album (oversize parts become placeholders right
 * after it). The parts are fixed in the row's progress by the first step, so a retry finishes
 * the same plan.
 */
export async function relayAlbum(deps: ExecutorDeps, firstLinkId: number, mediaGroupId: string, botId: number, progress: ProgressStore): Promise<unknown> {
  const plan = await albumJob(deps, firstLinkId, mediaGroupId, botId, progress)
  if (plan === 'sent') return { alreadySent: true }
  if ('single' in plan) return relayCopy(deps, plan.single, botId, progress)
  const messageId = await runSteps(plan.steps, progress, { parts: plan.linkIds })
  return { messageId, parts: plan.linkIds.length }
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

/** Applies an edit to a copy; when Telegram refuses, posts the new version as a reply marked as an edit. */
export async function editCopy(deps: ExecutorDeps, linkId: number, progress: ProgressStore): Promise<unknown> {
  const { link, message, content } = await loadLinkContent(deps, linkId)
  if (!link.copyMessageId) return { skipped: 'copy not delivered' }
  const api = deps.gateway.api(link.botId)
  const chatId = link.chatId
  const header = link.header ?? undefined
  if (content.kind === 'location') return moveLiveCopy(api, chatId, link.copyMessageId, content)
  try {
    // A version Telegram would refuse as too long cannot replace the copy: it goes out as a new message.
    if (content.kind === 'text') {
      // A combined copy (coalesce.ts) is re-rendered whole, so the other originals keep their text.
      const combined = await combinedCopyParts(deps.db, link)
      const t = combined ? combinedText(combined) : withHeader(header, content.text, content.entities)
      if (t.text.length > TEXT_LIMIT) throw new PermanentJobError('The edited text is too long to edit in place')
      return await ignoreNotModified(() => api.editMessageText(chatId, link.copyMessageId!, t.text, { entities: t.entities }))
    }
    if ('file' in content && editableMedia.has(content.kind)) {
      const caption = withHeader(header, content.caption, content.captionEntities)
      if (caption.text.length > CAPTION_LIMIT) throw new PermanentJobError('The edited caption is too long to edit in place')
      const input = await fileInput(deps, link.botId, message.botId, content.file)
      const media = {
        type: content.kind,
        media: input,
        ...(caption.text ? { caption: caption.text, caption_entities: caption.entities } : {}),
      } as InputMediaPhoto
      const edited = await ignoreNotModified(() => uploader(deps, link.botId, input, [content.file]).editMessageMedia(chatId, link.copyMessageId!, media))
      if (edited !== true && !('notModified' in edited)) await rememberFile(deps.db, link.botId, content.file, edited)
      return edited
    }
    throw new PermanentJobError(`A ${content.kind} cannot be edited`)
  } catch (error) {
    const failure = classifyTelegramError(error)
    if (failure.kind !== 'cannot_edit' && !(error instanceof PermanentJobError)) throw error
    const to = await linkDestination(deps, link)
    const sent = await sendContent(deps, link.botId, message.botId, to, content, {
      header: `✏️ Edited${header ? ` · ${header}` : ''}`,
      replyToMessageId: link.copyMessageId,
      progress,
    })
    return { editSentAsNew: sent.message_id }
  }
}

/**
 * A live location moved: move its copy with editMessageLiveLocation. A copy that no longer moves
 * (expired, stopped, or sent static) stays where it is: a location edit never becomes an "Edited" message.
 */
async function moveLiveCopy(api: ReturnType<TelegramGateway['api']>, chatId: number, messageId: number, content: Extract<Content, { kind: 'location' }>): Promise<unknown> {
  try {
    const heading = content.live?.heading ? { heading: content.live.heading } : {}
    return await ignoreNotModified(() => api.editMessageLiveLocation(chatId, messageId, content.params.latitude, content.params.longitude, heading))
  } catch (error) {
    if (classifyTelegramError(error).kind === 'cannot_edit') return { skipped: 'the copy is not a live location any more' }
    throw error
  }
}

/**
 * The message a delete or react job acts on: a given chat/message, or the copy behind a relay
 * link — and then through the bot that posted it, the only one allowed to touch it.
 */
async function messageOfJob(deps: ExecutorDeps, botId: number, job: { chatId?: number; messageId?: number; linkId?: number }) {
  if (!job.linkId) return job.chatId && job.messageId ? { botId, chatId: job.chatId, messageId: job.messageId } : undefined
  const link = await findLink(deps.db, job.linkId)
  return link?.copyMessageId ? { botId: link.botId, chatId: link.chatId, messageId: link.copyMessageId } : undefined
}

export async function deleteMessage(deps: ExecutorDeps, botId: number, job: Extract<OutboxJob, { type: 'delete' }>): Promise<unknown> {
  const target = await messageOfJob(deps, botId, job)
  if (!target) return { skipped: 'nothing to delete' }
  try {
    return await deps.gateway.api(target.botId).deleteMessage(target.chatId, target.messageId)
  } catch (error) {
    if (classifyTelegramError(error).kind === 'already_deleted') return { alreadyDeleted: true }
    throw error
  }
}

export async function react(deps: ExecutorDeps, botId: number, job: Extract<OutboxJob, { type: 'react' }>): Promise<unknown> {
  const target = await messageOfJob(deps, botId, job)
  if (!target) return { skipped: 'no message to react to' }
  const reaction = job.emoji.map((emoji) => ({ type: 'emoji' as const, emoji })) as Parameters<ReturnType<TelegramGateway['api']>['setMessageReaction']>[2]
  return deps.gateway.api(target.botId).setMessageReaction(target.chatId, target.messageId, reaction)
}

export async function sendNotice(deps: ExecutorDeps, botId: number, job: Extract<OutboxJob, { type: 'text' }>, progress: ProgressStore): Promise<unknown> {
  const to = await resolveTarget(deps, job.target)
  const replyTo = await replyId(deps, job.replyTo, to.chatId)
  const sent = await sendContent(
    deps,
    botId,
    botId,
    to,
    { kind: 'text', text: job.text, entities: job.entities },
    { replyToMessageId: replyTo, replyMarkup: job.replyMarkup, progress },
  )
  const purpose = job.purpose
  if (purpose?.kind === 'assignment_card') {
    await retryTransient(async () => deps.hooks?.onAssignmentCardSent?.(purpose.assignmentId, to.chatId, sent.message_id))
  }
  if (purpose?.kind === 'profile_card') {
    await retryTransient(async () => deps.hooks?.onProfileCardSent?.(purpose.topicId, to.chatId, sent.message_id, botId))
  }
  if (purpose?.kind === 'profile_card' && purpose.pin) {
    await deps.gateway
      .api(botId)
      .pinChatMessage(to.chatId, sent.message_id, { disable_notification: true })
      .catch(() => undefined)
  }
  return { messageId: sent.message_id, chatId: to.chatId }
}

export async function createTopic(deps: ExecutorDeps, botId: number, topicId: number): Promise<unknown> {
  const topic = await findTopic(deps.db, topicId)
  if (!topic) throw new PermanentJobError(`Topic ${topicId} is gone`)
  if (topic.threadId) return { threadId: topic.threadId, alreadyCreated: true }
  const created = await deps.gateway.api(botId).createForumTopic(topic.chatId, topic.name)
  await retryTransient(async () => deps.hooks?.onTopicCreated?.(topicId, created.message_thread_id))
  return { threadId: created.message_thread_id }
}

export async function createSystemTopic(deps: ExecutorDeps, botId: number, systemTopicId: number): Promise<unknown> {
  const [row] = await deps.db.select().from(systemTopics).where(eq(systemTopics.id, systemTopicId))
  if (!row) throw new PermanentJobError(`System topic ${systemTopicId} is gone`)
  if (row.threadId) return { threadId: row.threadId, alreadyCreated: true }
  const created = await deps.gateway.api(botId).createForumTopic(row.chatId, row.purpose === 'onboarding' ? 'Onboarding' : row.purpose)
  await retryTransient(async () => deps.hooks?.onSystemTopicCreated?.(systemTopicId, created.message_thread_id))
  return { threadId: created.message_thread_id }
}

/**
 * Closes, reopens or deletes a topic; doing what is already done counts as success. No bot is
 * told of its own closes and reopens, so the service records them itself: a close where it is
 * queued (a reopen queued behind it must win), a reopen here too, once it is done — a person may
 * have closed the topic by hand since, and this reopen undid that.
 */
export async function changeTopic(deps: ExecutorDeps, botId: number, change: 'close_topic' | 'reopen_topic' | 'delete_topic', topicId: number): Promise<unknown> {
  const topic = await findTopic(deps.db, topicId)
  if (!topic?.threadId) return { skipped: 'topic was never created' }
  const api = deps.gateway.api(botId)
  let outcome: { done: string } | { alreadyDone: string } = { done: change }
  try {
    if (change === 'close_topic') await api.closeForumTopic(topic.chatId, topic.threadId)
    else if (change === 'reopen_topic') await api.reopenForumTopic(topic.chatId, topic.threadId)
    else await api.deleteForumTopic(topic.chatId, topic.threadId)
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    if (!/TOPIC_NOT_MODIFIED|message thread not found|TOPIC_ID_INVALID/.test(text)) throw error
    outcome = { alreadyDone: change }
  }
  // No bot hears of its own reopen, and none needs to: the domain recorded the topic as open when
  // it queued this job (topic-state.ts). Recording it again here, after the send, would undo a
  // close queued since (a /resolve right after the client's message), leaving it "open" for good.
  return outcome
}

/** A flood notice counts what was held back when it is sent; nothing held back, nothing to say. */
export async function floodNotice(deps: ExecutorDeps, botId: number, job: Extract<OutboxJob, { type: 'flood_notice' }>, progress: ProgressStore): Promise<unknown> {
  const n = await countNotRelayed(deps.db, job.customerId, 'flood', job.sinceRowId, new Date(job.until))
  if (n === 0) return { skipped: 'nothing was held back' }
  return sendNotice(deps, botId, { type: 'text', target: job.target, text: job.text.replace('{count}', String(n)) }, progress)
}

/** Replaces a card's text and keyboard; an unchanged card is fine. */
export function editText(deps: ExecutorDeps, botId: number, job: Extract<OutboxJob, { type: 'edit_text' }>): Promise<unknown> {
  const api = deps.gateway.api(botId)
  return ignoreNotModified(() => api.editMessageText(job.chatId, job.messageId, job.text, { entities: job.entities, reply_markup: job.replyMarkup }))
}

/**
 * core.telegram.org/bots/api#banchatmember removes them; #unbanchatmember with only_if_banned
 * lifts the ban without touching anyone else, so they may be invited again later.
 */
export async function removeMember(deps: ExecutorDeps, botId: number, job: Extract<OutboxJob, { type: 'remove_member' }>): Promise<unknown> {
  const api = deps.gateway.api(botId)
  await api.banChatMember(job.chatId, job.userId)
  return api.unbanChatMember(job.chatId, job.userId, { only_if_banned: true })
}
