import type { MessageEntity } from 'grammy/types'
import { chatForBot } from '../access.js'
import { badRequest } from '../api-error.js'
import { composeMessage, newMediaGroupId, place, recordBotMessage } from '../compose.js'
import { fileContent, withCaption } from '../content.js'
import { formatCaption } from '../entities/format.js'
import type { FileKind } from '../files.js'
import { renderFor } from '../render.js'
import type { Wire } from '../world.js'
import type { Handler } from './context.js'
import { resolveInputFile } from './input-file.js'
import { replyOptions } from './markup.js'

const GROUPABLE = new Set(['photo', 'video', 'document', 'audio'])

/** sendMediaGroup: 2–10 items; photos and videos mix, documents and audios only with their own kind. */
export const sendMediaGroup: Handler = (ctx) => {
  const { world, bot, params } = ctx
  const media = params.json<Wire[]>('media')
  if (!Array.isArray(media) || media.length === 0) throw badRequest('media must be non-empty')
  if (media.length < 2) throw badRequest('media group must contain at least 2 items')
  if (media.length > 10) throw badRequest('too many media in the media group')
  const types = media.map((m) => String(m?.type))
  for (const type of types) if (!GROUPABLE.has(type)) throw badRequest(`unsupported media type "${type}" in the media group`)
  for (const lone of ['document', 'audio']) {
    if (types.includes(lone) && types.some((t) => t !== lone)) throw badRequest(`${lone} can't be mixed with other media types`)
  }
  const contents = media.map((item) => {
    const kind = item.type as FileKind
    const caption = formatCaption(item.caption, item.parse_mode, item.caption_entities as MessageEntity[] | undefined)
    return withCaption(fileContent(kind, resolveInputFile(ctx, item.media, kind, 'media')), caption)
  })
  const chat = chatForBot(world, bot, params, 'post')
  const reply = replyOptions(params)
  const placement = place(chat, {
    senderId: bot.id,
    threadId: chat.type === 'private' ? undefined : params.int('message_thread_id'),
    replyTo: reply.replyTo,
    allowWithoutReply: reply.allowWithoutReply,
  })
  const mediaGroupId = newMediaGroupId(world)
  return contents.map((content) => {
    const stored = composeMessage(world, { chat, senderId: bot.id, content, placement, mediaGroupId })
    recordBotMessage(world, stored)
    return renderFor(world.files, stored.wire, bot.id)
  })
}
