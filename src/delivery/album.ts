import type { InputMediaAudio, InputMediaDocument, InputMediaPhoto, InputMediaVideo, Message, MessageEntity } from 'grammy/types'
import { CAPTION_LIMIT, withHeader, type Content } from './render.js'
import { contentSteps, fileInput, followUp, rememberFile, uploader, withFallbacks, type Destination, type MediaContent, type SendDeps } from './send-content.js'
import type { SendStep } from './send-steps.js'

/** How an album's parts go out (telegram-facts "Albums": only one caption shows under an album). */
export interface AlbumPlan {
  /** Parts posted as files: one sendMediaGroup when 2 or more, else a single media. */
  media: number[]
  /** Parts that cannot be carried (a file over the 20 MB download limit…): their placeholder text. */
  placeholders: number[]
  /** The one caption, on the first item: attribution and every part's caption, when they fit. */
  caption: { text: string; entities: MessageEntity[] }
  /** The captions, sent right after the album when attribution and captions pass 1024 characters. */
  followUp?: { text: string; entities: MessageEntity[] }
}

/** Decides which parts form the album and where the attribution and captions go. */
export function planAlbum(contents: Content[], header?: string): AlbumPlan {
  const media: number[] = []
  const placeholders: number[] = []
  let captions = { text: '', entities: [] as MessageEntity[] }
  for (const [i, content] of contents.entries()) {
    if (!('file' in content)) {
      placeholders.push(i)
      continue
    }
    media.push(i)
    if (!content.caption) continue
    const offset = captions.text ? captions.text.length + 2 : 0
    captions = {
      text: captions.text ? `${captions.text}\n\n${content.caption}` : content.caption,
      entities: [...captions.entities, ...(content.captionEntities ?? []).map((e) => ({ ...e, offset: e.offset + offset }))],
    }
  }
  const together = withHeader(header, captions.text, captions.entities)
  if (media.length < 2 || together.text.length <= CAPTION_LIMIT) return { media, placeholders, caption: together }
  return { media, placeholders, caption: withHeader(header, undefined, undefined), followUp: captions }
}

export interface AlbumPart {
  linkId: number
  content: Content
}

/**
 * The messages an album relay posts, in order: the album (or its one remaining media), each
 * placeholder, then the captions that did not fit. `record` stores which links each step
 * delivered, right after it, so a retry neither re-posts nor forgets them.
 */
export function albumSteps(
  deps: SendDeps,
  botId: number,
  sourceBotId: number,
  to: Destination,
  parts: AlbumPart[],
  options: { header?: string; replyToMessageId?: number },
  record: (linkIds: number[], messageIds: number[]) => Promise<void>,
): SendStep[] {
  const plan = planAlbum(
    parts.map((p) => p.content),
    options.header,
  )
  const steps: SendStep[] = []
  const replyTo = () => (steps.length === 0 ? options.replyToMessageId : undefined)
  const recorded = (linkId: number, list: SendStep[]): SendStep[] =>
    list.map((step) =>
      step.represents
        ? {
            represents: steps.length === 0,
            send: async () => {
              const sent = await step.send()
              await record([linkId], [sent.message_id])
              return sent
            },
          }
        : step,
    )
  if (plan.media.length >= 2) {
    const items = plan.media.map((i) => parts[i]!)
    const reply = replyTo()
    steps.push({
      represents: true,
      messages: items.length,
      send: async () => {
        const sent = await sendAlbum(
          deps,
          botId,
          sourceBotId,
          to,
          items.map((p) => p.content as MediaContent),
          plan.caption,
          reply,
        )
        await record(
          items.map((p) => p.linkId),
          sent.map((m) => m.message_id),
        )
        return sent[0]!
      },
    })
  } else if (plan.media.length === 1) {
    const part = parts[plan.media[0]!]!
    const content = { ...(part.content as MediaContent), caption: plan.caption.text, captionEntities: plan.caption.entities }
    steps.push(...recorded(part.linkId, contentSteps(deps, botId, sourceBotId, to, content, { replyToMessageId: replyTo() })))
  }
  for (const i of plan.placeholders) {
    const part = parts[i]!
    const header = steps.length === 0 ? options.header : undefined
    steps.push(...recorded(part.linkId, contentSteps(deps, botId, sourceBotId, to, part.content, { header, replyToMessageId: replyTo() })))
  }
  if (plan.followUp) steps.push(...followUp(deps.gateway.api(botId), to, plan.followUp))
  return steps
}

/** Posts files as one sendMediaGroup with a single caption on the first item; returns the sent messages in order. */
async function sendAlbum(
  deps: SendDeps,
  botId: number,
  sourceBotId: number,
  to: Destination,
  items: MediaContent[],
  caption: { text: string; entities: MessageEntity[] },
  replyToMessageId?: number,
): Promise<Message[]> {
  const sent = await withFallbacks(async (o) => {
    // Fresh file inputs per attempt: a streamed upload cannot be read twice.
    const files = await Promise.all(items.map((content) => fileInput(deps, botId, sourceBotId, content.file)))
    const media = items.map((content, i) => ({
      type: content.kind,
      media: files[i]!,
      ...(i === 0 && caption.text ? { caption: caption.text, ...(o.formatted ? { caption_entities: caption.entities } : {}) } : {}),
    })) as Array<InputMediaPhoto | InputMediaVideo | InputMediaAudio | InputMediaDocument>
    return uploader(
      deps,
      botId,
      files,
      items.map((content) => content.file),
    ).sendMediaGroup(to.chatId, media as InputMediaPhoto[], {
      ...(to.threadId ? { message_thread_id: to.threadId } : {}),
      ...(o.reply && replyToMessageId ? { reply_parameters: { message_id: replyToMessageId, allow_sending_without_reply: true } } : {}),
    })
  })
  for (const [i, message] of sent.entries()) await rememberFile(deps.db, botId, items[i]!.file, message)
  return sent
}
