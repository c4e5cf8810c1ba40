import type { Message, MessageEntity } from 'grammy/types'
import { chatForBot, chatByIdForBot, checkMentionAccess } from '../access.js'
import { badRequest } from '../api-error.js'
import { composeMessage, place, recordBotMessage } from '../compose.js'
import { isEphemeralCall, sendEphemeralMessage } from '../ephemeral.js'
import { DICE_RANGES, fileContent, withCaption, withText } from '../content.js'
import { formatCaption, formatMessageText } from '../entities/format.js'
import type { FileKind } from '../files.js'
import { renderFor } from '../render.js'
import type { ChatState, Wire } from '../world.js'
import type { CallContext, Handler } from './context.js'
import { resolveInputFile } from './input-file.js'
import { coordinate, sentLocation } from './live-location.js'
import { inlineMarkup, replyOptions } from './markup.js'

/** Places and stores a bot's new message built from `content`; returns it as the bot sees it. */
export function sendContent(ctx: CallContext, content: Wire, chat?: ChatState): Message {
  const { world, bot, params } = ctx
  const target = chat ?? chatForBot(world, bot, params, 'post')
  const reply = replyOptions(params)
  if (reply.chatId !== undefined && reply.chatId !== target.id) {
    chatByIdForBot(world, bot, reply.chatId, 'read')
    if (!reply.allowWithoutReply) throw badRequest('message to be replied not found')
    reply.replyTo = undefined
  }
  const placement = place(target, {
    senderId: bot.id,
    threadId: target.type === 'private' ? undefined : params.int('message_thread_id'),
    replyTo: reply.replyTo,
    allowWithoutReply: reply.allowWithoutReply,
  })
  const stored = composeMessage(world, { chat: target, senderId: bot.id, content, placement, replyMarkup: inlineMarkup(params) })
  recordBotMessage(world, stored)
  return renderFor(world.files, stored.wire, bot.id)
}

export function captionOf(ctx: CallContext) {
  const { params } = ctx
  return formatCaption(params.str('caption'), params.str('parse_mode'), params.json<MessageEntity[]>('caption_entities'))
}

const sendMessage: Handler = (ctx) => {
  if (isEphemeralCall(ctx)) return sendEphemeralMessage(ctx)
  const { params } = ctx
  const text = formatMessageText(params.str('text'), params.str('parse_mode'), params.json<MessageEntity[]>('entities'))
  checkMentionAccess(ctx.world, ctx.bot, text.entities)
  return sendContent(ctx, withText(text))
}

function sendFile(kind: FileKind): Handler {
  return (ctx) => {
    const caption = kind === 'sticker' || kind === 'video_note' ? undefined : captionOf(ctx)
    const record = resolveInputFile(ctx, ctx.params.raw(kind), kind)
    const emoji = ctx.params.str('emoji')
    const content = withCaption(fileContent(kind, record, { emoji, duration: ctx.params.int('duration') }), caption)
    if (ctx.params.bool('show_caption_above_media') && caption) content.show_caption_above_media = true
    if (ctx.params.bool('has_spoiler')) content.has_media_spoiler = true
    return sendContent(ctx, content)
  }
}

const sendLocation: Handler = (ctx) => sendContent(ctx, sentLocation(ctx))

const sendVenue: Handler = (ctx) => {
  const location = { latitude: coordinate(ctx, 'latitude', 90), longitude: coordinate(ctx, 'longitude', 180) }
  const title = ctx.params.str('title')
  const address = ctx.params.str('address')
  if (!title) throw badRequest('venue title is empty')
  if (address === undefined) throw badRequest('venue address is empty')
  return sendContent(ctx, { venue: { location, title, address }, location })
}

const sendContact: Handler = (ctx) => {
  const phone = ctx.params.str('phone_number')
  const first = ctx.params.str('first_name')
  if (!phone) throw badRequest('phone number is empty')
  if (!first) throw badRequest('contact first name is empty')
  const last = ctx.params.str('last_name')
  return sendContent(ctx, { contact: { phone_number: phone, first_name: first, ...(last ? { last_name: last } : {}) } })
}

const sendPoll: Handler = (ctx) => {
  const { params, world } = ctx
  const question = params.str('question') ?? ''
  if (question.trim() === '') throw badRequest('poll question must be non-empty')
  if (question.length > 300) throw badRequest('poll question length must not exceed 300')
  const raw = params.json<Array<string | { text: string }>>('options') ?? []
  const options = raw.map((o) => (typeof o === 'string' ? o : String(o?.text ?? '')))
  if (options.length < 2) throw badRequest('poll must have at least 2 option')
  if (options.length > 12) throw badRequest("poll can't have more than 12 options")
  if (options.some((o) => o.trim() === '' || o.length > 100)) throw badRequest('poll options length must not exceed 100')
  const poll = {
    id: String(world.prng.int(1e9, 9e9)),
    question,
    options: options.map((text) => ({ text, voter_count: 0 })),
    total_voter_count: 0,
    is_closed: false,
    is_anonymous: params.has('is_anonymous') ? params.bool('is_anonymous') : true,
    type: params.str('type') === 'quiz' ? 'quiz' : 'regular',
    allows_multiple_answers: params.bool('allows_multiple_answers'),
  }
  return sendContent(ctx, { poll })
}

const sendDice: Handler = (ctx) => {
  const emoji = ctx.params.str('emoji') ?? '🎲'
  const max = DICE_RANGES[emoji]
  if (max === undefined) throw badRequest('invalid dice emoji specified')
  return sendContent(ctx, { dice: { emoji, value: ctx.world.prng.int(1, max) } })
}

const ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
])

/** Succeeds even for a deleted topic, as Telegram's does: it is no health check. */
const sendChatAction: Handler = (ctx) => {
  chatForBot(ctx.world, ctx.bot, ctx.params, 'write')
  if (!ACTIONS.has(ctx.params.str('action') ?? '')) throw badRequest('wrong parameter action in request')
  return true
}

export const sendHandlers: Record<string, Handler> = {
  sendMessage,
  sendPhoto: sendFile('photo'),
  sendDocument: sendFile('document'),
  sendVideo: sendFile('video'),
  sendAudio: sendFile('audio'),
  sendVoice: sendFile('voice'),
  sendVideoNote: sendFile('video_note'),
  sendAnimation: sendFile('animation'),
  sendSticker: sendFile('sticker'),
  sendLocation,
  sendVenue,
  sendContact,
  sendPoll,
  sendDice,
  sendChatAction,
}
