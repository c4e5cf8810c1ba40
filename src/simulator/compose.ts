import type { InlineKeyboardMarkup } from 'grammy/types'
import { E } from './api-error.js'
import { kindOf } from './content.js'
import { mayPostInClosedTopic } from './methods/forum-topics.js'
import type { ChatState, StoredMessage, Wire, World } from './world.js'

export interface Placement {
  threadId?: number
  replyTo?: StoredMessage
}

/**
 * Where a new message goes: its forum topic and the message it replies to. A reply lands in the
 * replied message's topic; a deleted or unknown topic is "message thread not found".
 */
export function place(chat: ChatState, o: { senderId: number; threadId?: number; replyTo?: number; allowWithoutReply?: boolean }): Placement {
  if (chat.type === 'private') {
    return { replyTo: findReplyTarget(chat, o.replyTo, o.allowWithoutReply) }
  }
  let threadId = o.threadId
  if (threadId !== undefined) checkTopic(chat, threadId, o.senderId)
  let replyTo = findReplyTarget(chat, o.replyTo, o.allowWithoutReply)
  if (replyTo && replyTo.wire.forum_topic_created) {
    threadId = replyTo.id
    replyTo = undefined
  }
  if (replyTo?.threadId !== undefined && threadId === undefined) threadId = replyTo.threadId
  if (replyTo && replyTo.threadId !== threadId && chat.isForum) {
    if (!o.allowWithoutReply) throw E.replyNotFound()
    replyTo = undefined
  }
  if (threadId !== undefined && o.threadId === undefined) checkTopic(chat, threadId, o.senderId)
  return { threadId, replyTo }
}

function checkTopic(chat: ChatState, threadId: number, senderId: number): void {
  const topic = chat.isForum ? chat.topics.get(threadId) : undefined
  if (!topic || topic.deleted) throw E.threadNotFound()
  if (topic.closed && !mayPostInClosedTopic(chat, topic, senderId)) throw E.topicClosed()
}

function findReplyTarget(chat: ChatState, id: number | undefined, allowWithoutReply = false): StoredMessage | undefined {
  if (id === undefined) return undefined
  const target = chat.messages.get(id)
  if (target && !target.deleted) return target
  if (allowWithoutReply) return undefined
  throw E.replyNotFound()
}

export interface ComposeInput {
  chat: ChatState
  senderId: number
  content: Wire
  placement: Placement
  replyMarkup?: InlineKeyboardMarkup
  mediaGroupId?: string
  forwardOrigin?: Wire
}

/** Builds the wire message as Telegram would, stores it, and returns it. */
export function composeMessage(world: World, input: ComposeInput): StoredMessage {
  const { chat, placement } = input
  const wire: Wire = { from: world.userWire(input.senderId), chat: world.chatWire(chat) }
  if (placement.threadId !== undefined) {
    wire.message_thread_id = placement.threadId
    wire.is_topic_message = true
  }
  if (input.forwardOrigin) wire.forward_origin = input.forwardOrigin
  const replied = placement.replyTo ?? (placement.threadId !== undefined ? chat.messages.get(placement.threadId) : undefined)
  if (replied) wire.reply_to_message = snapshot(replied)
  if (input.mediaGroupId) wire.media_group_id = input.mediaGroupId
  Object.assign(wire, input.content)
  if (input.replyMarkup) wire.reply_markup = input.replyMarkup
  return world.store(chat, {
    threadId: placement.threadId,
    senderId: input.senderId,
    senderIsBot: world.isBot(input.senderId),
    kind: kindOf(input.content),
    wire,
    replyMarkup: input.replyMarkup,
    mediaGroupId: input.mediaGroupId,
    forwarded: input.forwardOrigin !== undefined,
  })
}

/** A replied-to message as embedded in reply_to_message (Telegram does not nest further). */
export function snapshot(m: StoredMessage): Wire {
  const { reply_to_message: _nested, ...rest } = m.wire
  return structuredClone(rest)
}

/** Counts a bot-created message: stats and the delivery witness. */
export function recordBotMessage(world: World, m: StoredMessage): void {
  world.stats.sent++
  world.deliveries.push({
    botId: m.senderId,
    chatId: m.chat.id,
    ...(m.threadId !== undefined ? { threadId: m.threadId } : {}),
    messageId: m.id,
    at: world.clock.nowMs(),
    ...(typeof m.wire.text === 'string' ? { text: m.wire.text } : typeof m.wire.caption === 'string' ? { text: m.wire.caption } : {}),
  })
}

export function newMediaGroupId(world: World): string {
  return String(13_000_000_000_000_000 + world.prng.int(0, 999_999_999) * 1000 + world.prng.int(0, 999))
}
