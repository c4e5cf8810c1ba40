import type { MessageEntity } from 'grammy/types'
import { chatForBot, checkMentionAccess, liveMessage } from '../access.js'
import { badRequest, E } from '../api-error.js'
import { CAPTIONED, contentFields, fileContent, withCaption, withText } from '../content.js'
import { formatCaption, formatMessageText } from '../entities/format.js'
import type { FileKind } from '../files.js'
import { renderFor } from '../render.js'
import type { StoredMessage, Wire } from '../world.js'
import type { CallContext, Handler } from './context.js'
import { resolveInputFile } from './input-file.js'
import { inlineMarkup } from './markup.js'

/** The bot's own, live, non-forwarded message named by chat_id + message_id. */
export function editable(ctx: CallContext): StoredMessage {
  if (ctx.params.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID')
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'write')
  const m = liveMessage(chat, ctx.params.int('message_id'))
  if (!m) throw E.editNotFound()
  if (m.senderId !== ctx.bot.id || m.forwarded || m.kind === 'service') throw E.cantEdit()
  return m
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** Replaces content and keyboard (an edit without reply_markup removes the keyboard, as in Telegram). */
export function applyEdit(ctx: CallContext, m: StoredMessage, content: Wire | undefined) {
  const markup = inlineMarkup(ctx.params)
  const before = { content: contentFields(m.wire), markup: m.replyMarkup }
  const after = { content: content ?? before.content, markup }
  if (same(before, after)) throw E.notModified()
  if (content) {
    for (const key of Object.keys(before.content)) delete m.wire[key]
    Object.assign(m.wire, content)
  }
  if (markup) m.wire.reply_markup = markup
  else delete m.wire.reply_markup
  m.replyMarkup = markup
  m.edited = true
  m.wire.edit_date = ctx.world.clock.unix()
  return renderFor(ctx.world.files, m.wire, ctx.bot.id)
}

const editMessageText: Handler = (ctx) => {
  const text = formatMessageText(ctx.params.str('text'), ctx.params.str('parse_mode'), ctx.params.json<MessageEntity[]>('entities'))
  checkMentionAccess(ctx.world, ctx.bot, text.entities)
  const m = editable(ctx)
  if (m.kind !== 'text') throw badRequest('there is no text in the message to edit')
  return applyEdit(ctx, m, withText(text))
}

const editMessageCaption: Handler = (ctx) => {
  const caption = formatCaption(ctx.params.str('caption'), ctx.params.str('parse_mode'), ctx.params.json<MessageEntity[]>('caption_entities'))
  const m = editable(ctx)
  if (!CAPTIONED.has(m.kind)) throw badRequest('there is no caption in the message to edit')
  const content = contentFields(m.wire)
  delete content.caption
  delete content.caption_entities
  return applyEdit(ctx, m, withCaption(content, caption))
}

const editMessageMedia: Handler = (ctx) => {
  const media = ctx.params.json<Wire>('media')
  if (!media || typeof media !== 'object') throw badRequest('media is empty')
  const kind = String(media.type) as FileKind
  if (!['photo', 'video', 'animation', 'audio', 'document'].includes(kind)) throw badRequest('wrong media type specified')
  const caption = formatCaption(media.caption, media.parse_mode, media.caption_entities as MessageEntity[] | undefined)
  const m = editable(ctx)
  if (!CAPTIONED.has(m.kind) || m.kind === 'voice') throw badRequest('there is no media in the message to edit')
  if (m.mediaGroupId && (m.kind === 'document') !== (kind === 'document')) throw badRequest("can't change the media type of an album message")
  const record = resolveInputFile(ctx, media.media, kind, 'media')
  return applyEdit(ctx, m, withCaption(fileContent(kind, record), caption))
}

const editMessageReplyMarkup: Handler = (ctx) => applyEdit(ctx, editable(ctx), undefined)

export const editHandlers: Record<string, Handler> = { editMessageText, editMessageCaption, editMessageMedia, editMessageReplyMarkup }
