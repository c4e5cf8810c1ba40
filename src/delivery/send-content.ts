import { InputFile } from 'grammy'
import type { ForceReply, InlineKeyboardMarkup, Message, MessageEntity } from 'grammy/types'
import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { retryTransient } from '../db/errors.js'
import { findLinkWithMessage, findTopic, messageIdInChat, type LinkWithMessage, type RelayLinkRow, type TopicRow } from '../db/repositories/relay.js'
import { fileCache, relayLinks } from '../db/schema/index.js'
import { classifyTelegramError, PermanentJobError } from './classify-error.js'
import type { TelegramGateway } from './gateway.js'
import type { DeliveryObserver } from './observer.js'
import { recordCopySent, SentRecorded, type Claim } from './outbox.js'
import { runSteps, type ProgressStore, type SendStep } from './send-steps.js'
import { captionlessKinds, contentOfCopy, copyLivePeriod, DOWNLOAD_LIMIT_BYTES, sentFile, splitCaption, splitText, withHeader, type Content, type FileRef } from './render.js'

export interface Destination {
  chatId: number
  threadId?: number
}

export interface SendOptions {
  header?: string
  replyToMessageId?: number
  replyMarkup?: InlineKeyboardMarkup | ForceReply
  /** Where a retry finds the messages an earlier attempt already sent. */
  progress?: ProgressStore
  /** `allow_paid_broadcast`: up to 1000 messages a second, paid in Stars (a broadcast with `delivery.allowPaidBroadcast`). */
  paidBroadcast?: boolean
}

export interface SendDeps {
  db: DbOrTx
  gateway: TelegramGateway
  /** Relay links read ahead for a claimed batch (one query for all its copies), by link id. */
  links?: ReadonlyMap<number, LinkWithMessage>
  observer?: DeliveryObserver
}

/**
 * Posts a relay link's copy with `botId` (the planner's pick from the pool) and records which bot
 * it was; with the outbox row's claim, the row is marked sent by the same statement.
 */
export async function relayCopy(deps: SendDeps, linkId: number, botId: number, progress?: ProgressStore, claim?: Claim): Promise<unknown> {
  const { link, message, topic, content } = await loadLinkContent(deps, linkId)
  if (link.copyMessageId) return { messageId: link.copyMessageId, alreadySent: true }
  const to = await linkDestination(deps, link, topic)
  const replyTo = message.replyToRowId ? await messageIdInChat(deps.db, message.replyToRowId, to.chatId) : undefined
  const sent = await sendContent(deps, botId, message.botId, to, content, { header: link.header ?? undefined, replyToMessageId: replyTo, progress })
  deps.observer?.copyDelivered?.({ link, message, topic })
  const copy = { linkId: link.id, copyMessageId: sent.message_id, threadId: to.threadId ?? null, botId }
  const result = { messageId: sent.message_id }
  if (claim && (await retryTransient(() => recordCopySent(deps.db, claim, copy, result)))) return new SentRecorded(result)
  await retryTransient(() => deps.db.update(relayLinks).set({ copyMessageId: copy.copyMessageId, threadId: copy.threadId, botId }).where(eq(relayLinks.id, link.id)))
  return result
}

/** A relay link with its message, its topic and the copy's content as the renderer sees it (its variant applied). */
export async function loadLinkContent(deps: Pick<SendDeps, 'db' | 'links'>, linkId: number) {
  const found = deps.links?.get(linkId) ?? (await findLinkWithMessage(deps.db, linkId))
  if (!found) throw new PermanentJobError(`Relay link ${linkId} or its message is gone`)
  return { ...found, content: contentOfCopy(found.message, found.link) }
}

/** Where a link's copy goes: the topic's current thread (it may have been recreated), or the private chat. */
export async function linkDestination(deps: Pick<SendDeps, 'db'>, link: RelayLinkRow, topic?: TopicRow | null): Promise<Destination> {
  if (!link.topicId) return { chatId: link.chatId }
  if (topic?.threadId) return { chatId: topic.chatId, threadId: topic.threadId }
  return topicDestination(deps, link.topicId)
}

/** A customer topic's chat and current thread; a topic never created cannot take messages. */
export async function topicDestination(deps: Pick<SendDeps, 'db'>, topicId: number): Promise<Destination> {
  const topic = await findTopic(deps.db, topicId)
  if (!topic?.threadId) throw new PermanentJobError(`Topic ${topicId} was never created`)
  return { chatId: topic.chatId, threadId: topic.threadId }
}

/**
 * How a bot must reference a source file: the source bot's own file_id, the file_id this bot got
 * when it last uploaded that source file (cached by the source's file_unique_id), or a fresh upload.
 */
export async function fileInput(deps: SendDeps, botId: number, sourceBotId: number, file: FileRef): Promise<string | InputFile> {
  if (botId === sourceBotId) return file.fileId
  const [cached] = await deps.db
    .select({ fileId: fileCache.fileId })
    .from(fileCache)
    .where(and(eq(fileCache.botId, botId), eq(fileCache.fileUniqueId, file.fileUniqueId)))
  if (cached) return cached.fileId
  const bytes = await deps.gateway.download(sourceBotId, file.fileId)
  return new InputFile(bytes, file.fileName ?? file.fileUniqueId)
}

/**
 * Remembers the file_id a bot got back for a source file, keyed by the source's file_unique_id:
 * an upload makes a new file object with a new file_unique_id, so the sent one never matches a
 * later source (telegram-facts constraint 2). Each bot thus uploads a source file at most once.
 */
export async function rememberFile(db: DbOrTx, botId: number, source: FileRef, sent: Message): Promise<void> {
  const file = sentFile(sent)
  if (!file) return
  await db
    .insert(fileCache)
    .values({ botId, fileUniqueId: source.fileUniqueId, fileId: file.fileId })
    .onDuplicateKeyUpdate({ set: { fileId: sql`VALUES(file_id)` } })
}

/**
 * Calls Telegram, retrying once without the reply when the target is gone and once as plain
 * text when formatting does not parse. Other failures are thrown to the outbox.
 */
export async function withFallbacks<T>(call: (o: { reply: boolean; formatted: boolean }) => Promise<T>): Promise<T> {
  const options = { reply: true, formatted: true }
  for (;;) {
    try {
      return await call(options)
    } catch (error) {
      const failure = classifyTelegramError(error)
      if (failure.kind === 'reply_target_gone' && options.reply) options.reply = false
      else if (failure.kind === 'parse_error' && options.formatted) options.formatted = false
      else throw error
    }
  }
}

/**
 * Posts one piece of content with a bot; returns the message that represents it (for long
 * texts split in parts, the first part; for media, the media). With `progress`, a retry
 * resumes after the messages an earlier attempt already sent.
 */
export async function sendContent(
  deps: SendDeps,
  botId: number,
  sourceBotId: number,
  to: Destination,
  content: Content,
  options: SendOptions = {},
): Promise<Pick<Message, 'message_id'>> {
  return { message_id: await runSteps(contentSteps(deps, botId, sourceBotId, to, content, options), options.progress) }
}

/** The messages that make up one piece of content, in order (see sendContent). */
export function contentSteps(deps: SendDeps, botId: number, sourceBotId: number, to: Destination, content: Content, options: SendOptions): SendStep[] {
  const api = deps.gateway.api(botId)
  const base = (o: { reply: boolean }) => ({
    ...(to.threadId ? { message_thread_id: to.threadId } : {}),
    ...(o.reply && options.replyToMessageId ? { reply_parameters: { message_id: options.replyToMessageId, allow_sending_without_reply: true } } : {}),
    ...(options.replyMarkup ? { reply_markup: options.replyMarkup } : {}),
    ...(options.paidBroadcast ? { allow_paid_broadcast: true } : {}),
  })
  const textSteps = (text: string, entities: MessageEntity[] | undefined, first: { reply: boolean; represents: boolean }): SendStep[] =>
    splitText(text, entities ?? []).map((part, i) => ({
      represents: first.represents && i === 0,
      send: () =>
        withFallbacks((o) => api.sendMessage(to.chatId, part.text, { ...base({ reply: o.reply && first.reply && i === 0 }), ...(o.formatted ? { entities: part.entities } : {}) })),
    }))
  if (content.kind === 'text' || content.kind === 'placeholder') {
    const { text, entities } = withHeader(options.header, content.text, content.kind === 'text' ? content.entities : undefined)
    return textSteps(text, entities, { reply: true, represents: true })
  }
  // Stickers, video notes, locations… carry no caption: the attribution goes just before.
  const header =
    captionlessKinds.has(content.kind) && options.header
      ? textSteps(options.header, [{ type: 'bold', offset: 0, length: options.header.length }], { reply: false, represents: false })
      : []
  if ('file' in content) return [...header, ...mediaSteps(deps, botId, sourceBotId, to, content, options, base)]
  const send = (o: { reply: boolean }): Promise<Message> => {
    switch (content.kind) {
      case 'location': {
        // A live location goes out live for the original's remaining time; its moves edit the copy.
        const livePeriod = content.live && copyLivePeriod(content.live, Math.floor(Date.now() / 1000))
        const live = livePeriod ? { live_period: livePeriod, ...(content.live?.heading ? { heading: content.live.heading } : {}) } : {}
        return api.sendLocation(to.chatId, content.params.latitude, content.params.longitude, { ...base(o), ...live })
      }
      case 'venue':
        return api.sendVenue(to.chatId, content.params.latitude, content.params.longitude, content.params.title, content.params.address, base(o))
      case 'contact':
        return api.sendContact(to.chatId, content.params.phone_number, content.params.first_name, {
          ...base(o),
          ...(content.params.last_name ? { last_name: content.params.last_name } : {}),
        })
      case 'poll':
        return api.sendPoll(
          to.chatId,
          content.params.question,
          content.params.options.map((text) => ({ text })),
          base(o),
        )
    }
  }
  return [...header, { represents: true, send: () => withFallbacks(send) }]
}

export type MediaContent = Extract<Content, { file: FileRef }>

/** A file with its caption, cut to what Telegram accepts, then the rest of the caption as text. */
function mediaSteps(
  deps: SendDeps,
  botId: number,
  sourceBotId: number,
  to: Destination,
  content: MediaContent,
  options: SendOptions,
  base: (o: { reply: boolean }) => object,
): SendStep[] {
  const captioned = withHeader(captionlessKinds.has(content.kind) ? undefined : options.header, content.caption, content.captionEntities)
  const { caption: shown, rest } = splitCaption(captionlessKinds.has(content.kind) ? '' : captioned.text, captioned.entities)
  const caption = (o: { formatted: boolean }) => (!shown.text ? {} : { caption: shown.text, ...(o.formatted ? { caption_entities: shown.entities } : {}) })
  const media: SendStep = {
    represents: true,
    send: async () => {
      // A fresh file input per attempt: a streamed upload cannot be read twice.
      const send = async (o: { reply: boolean; formatted: boolean }): Promise<Message> => {
        const file = await fileInput(deps, botId, sourceBotId, content.file)
        const api = uploader(deps, botId, file, [content.file])
        const extra = { ...base(o), ...caption(o) }
        switch (content.kind) {
          case 'photo':
            return api.sendPhoto(to.chatId, file, extra)
          case 'video':
            return api.sendVideo(to.chatId, file, extra)
          case 'animation':
            return api.sendAnimation(to.chatId, file, extra)
          case 'audio':
            return api.sendAudio(to.chatId, file, extra)
          case 'voice':
            return api.sendVoice(to.chatId, file, extra)
          case 'document':
            return api.sendDocument(to.chatId, file, extra)
          case 'video_note':
            return api.sendVideoNote(to.chatId, file, base(o))
          case 'sticker':
            return api.sendSticker(to.chatId, file, base(o))
        }
      }
      const sent = await withFallbacks(send)
      await rememberFile(deps.db, botId, content.file, sent)
      return sent
    },
  }
  return [media, ...(rest ? followUp(deps.gateway.api(botId), to, rest) : [])]
}

/** The client to send files with: one whose timeout is sized to what it uploads (a cached file_id uploads nothing). */
export function uploader(deps: SendDeps, botId: number, input: string | InputFile | Array<string | InputFile>, files: FileRef[]): ReturnType<TelegramGateway['api']> {
  const inputs = Array.isArray(input) ? input : [input]
  const uploadBytes = files.reduce((sum, file, i) => sum + (typeof inputs[i] === 'string' ? 0 : (file.fileSize ?? DOWNLOAD_LIMIT_BYTES)), 0)
  return deps.gateway.api(botId, { uploadBytes })
}

/** Text sent right after a media or album: the part of a caption Telegram would not take. */
export function followUp(api: ReturnType<TelegramGateway['api']>, to: Destination, text: { text: string; entities: MessageEntity[] }): SendStep[] {
  return splitText(text.text, text.entities).map((part) => ({
    send: () =>
      withFallbacks((o) =>
        api.sendMessage(to.chatId, part.text, { ...(to.threadId ? { message_thread_id: to.threadId } : {}), ...(o.formatted ? { entities: part.entities } : {}) }),
      ),
  }))
}
