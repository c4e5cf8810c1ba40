import type { MessageEntity } from 'grammy/types'
import { chatForBot, liveMessage } from '../access.js'
import { badRequest, E } from '../api-error.js'
import { composeMessage, newMediaGroupId, place, recordBotMessage } from '../compose.js'
import { CAPTIONED, contentFields } from '../content.js'
import { formatCaption } from '../entities/format.js'
import { renderFor } from '../render.js'
import type { ChatState, StoredMessage, Wire } from '../world.js'
import type { CallContext, Handler } from './context.js'
import { inlineMarkup, replyOptions } from './markup.js'

type Mode = 'copy' | 'forward'

/** The source chat; a chat the bot cannot read makes the message "not found", never "chat not found". */
function sourceChat(ctx: CallContext, mode: Mode): ChatState {
  try {
    return chatForBot(ctx.world, ctx.bot, ctx.params, 'read', 'from_chat_id')
  } catch {
    throw mode === 'copy' ? E.copyNotFound() : badRequest('message to forward not found')
  }
}

function sourceMessage(chat: ChatState, id: number | undefined, mode: Mode): StoredMessage {
  const m = liveMessage(chat, id)
  if (!m) throw mode === 'copy' ? E.copyNotFound() : badRequest('message to forward not found')
  if (m.kind === 'service') throw badRequest(mode === 'copy' ? "message can't be copied" : "message can't be forwarded")
  return m
}

function originOf(ctx: CallContext, m: StoredMessage): Wire {
  return m.wire.forward_origin ? structuredClone(m.wire.forward_origin) : { type: 'user', sender_user: ctx.world.userWire(m.senderId), date: m.date }
}

function place1(ctx: CallContext, target: ChatState) {
  const reply = replyOptions(ctx.params)
  return place(target, {
    senderId: ctx.bot.id,
    threadId: target.type === 'private' ? undefined : ctx.params.int('message_thread_id'),
    replyTo: reply.replyTo,
    allowWithoutReply: reply.allowWithoutReply,
  })
}

/** Copies or forwards messages (already validated) into the target chat, keeping albums together. */
function relay(ctx: CallContext, mode: Mode, target: ChatState, sources: StoredMessage[], content: (m: StoredMessage) => Wire) {
  const placement = place1(ctx, target)
  const groups = new Map<string, string>()
  return sources.map((m) => {
    const mediaGroupId = m.mediaGroupId && sources.length > 1 ? (groups.get(m.mediaGroupId) ?? newGroup(ctx, groups, m.mediaGroupId)) : undefined
    const stored = composeMessage(ctx.world, {
      chat: target,
      senderId: ctx.bot.id,
      content: content(m),
      placement,
      mediaGroupId,
      forwardOrigin: mode === 'forward' ? originOf(ctx, m) : undefined,
      replyMarkup: mode === 'copy' && sources.length === 1 ? inlineMarkup(ctx.params) : undefined,
    })
    recordBotMessage(ctx.world, stored)
    return stored
  })
}

function newGroup(ctx: CallContext, groups: Map<string, string>, old: string): string {
  const id = newMediaGroupId(ctx.world)
  groups.set(old, id)
  return id
}

function copyContent(ctx: CallContext, m: StoredMessage, removeCaption: boolean): Wire {
  const content = contentFields(m.wire)
  if (removeCaption) {
    delete content.caption
    delete content.caption_entities
  }
  if (ctx.params.has('caption') && CAPTIONED.has(m.kind)) {
    const caption = formatCaption(ctx.params.str('caption'), ctx.params.str('parse_mode'), ctx.params.json<MessageEntity[]>('caption_entities'))
    delete content.caption
    delete content.caption_entities
    if (caption) Object.assign(content, { caption: caption.text, ...(caption.entities.length ? { caption_entities: caption.entities } : {}) })
  }
  return content
}

function messageIds(ctx: CallContext): number[] {
  const ids = ctx.params.json<number[]>('message_ids')
  if (!Array.isArray(ids) || ids.length === 0) throw badRequest('message_ids must be non-empty')
  if (ids.length > 100) throw badRequest('too many messages to copy')
  for (let i = 1; i < ids.length; i++) {
    if (!((ids[i] as number) > (ids[i - 1] as number))) throw badRequest('message identifiers must be in a strictly increasing order')
  }
  return ids
}

const copyMessage: Handler = (ctx) => {
  const from = sourceChat(ctx, 'copy')
  const m = sourceMessage(from, ctx.params.int('message_id'), 'copy')
  const target = chatForBot(ctx.world, ctx.bot, ctx.params, 'post')
  const content = copyContent(ctx, m, false)
  const [stored] = relay(ctx, 'copy', target, [m], () => content)
  return { message_id: stored?.id }
}

const copyMessages: Handler = (ctx) => {
  const ids = messageIds(ctx)
  const from = sourceChat(ctx, 'copy')
  const sources = ids.map((id) => liveMessage(from, id)).filter((m): m is StoredMessage => !!m && m.kind !== 'service')
  if (sources.length === 0) throw E.copyNotFound()
  const target = chatForBot(ctx.world, ctx.bot, ctx.params, 'post')
  const removeCaption = ctx.params.bool('remove_caption')
  return relay(ctx, 'copy', target, sources, (m) => copyContent(ctx, m, removeCaption)).map((s) => ({ message_id: s.id }))
}

const forwardMessage: Handler = (ctx) => {
  const from = sourceChat(ctx, 'forward')
  const m = sourceMessage(from, ctx.params.int('message_id'), 'forward')
  const target = chatForBot(ctx.world, ctx.bot, ctx.params, 'post')
  const [stored] = relay(ctx, 'forward', target, [m], (s) => contentFields(s.wire))
  return stored ? renderFor(ctx.world.files, stored.wire, ctx.bot.id) : undefined
}

const forwardMessages: Handler = (ctx) => {
  const ids = messageIds(ctx)
  const from = sourceChat(ctx, 'forward')
  const sources = ids.map((id) => liveMessage(from, id)).filter((m): m is StoredMessage => !!m && m.kind !== 'service')
  if (sources.length === 0) throw badRequest('message to forward not found')
  const target = chatForBot(ctx.world, ctx.bot, ctx.params, 'post')
  return relay(ctx, 'forward', target, sources, (s) => contentFields(s.wire)).map((s) => ({ message_id: s.id }))
}

export const copyHandlers: Record<string, Handler> = { copyMessage, copyMessages, forwardMessage, forwardMessages }
