import { chatForBot, requireInt } from '../access.js'
import { badRequest, E } from '../api-error.js'
import type { BotState, ChatState, TopicState, Wire, World } from '../world.js'
import type { CallContext, Handler } from './context.js'

export const TOPIC_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f]

function forum(ctx: CallContext): ChatState {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'write')
  if (chat.type !== 'supergroup' || !chat.isForum) throw badRequest('the chat is not a forum')
  return chat
}

function needRight(chat: ChatState, bot: BotState, right: 'can_manage_topics' | 'can_delete_messages', text: string): void {
  if (!chat.admins.get(bot.id)?.[right]) throw badRequest(text)
}

function liveTopic(ctx: CallContext, chat: ChatState): TopicState {
  const topic = chat.topics.get(requireInt(ctx.params, 'message_thread_id'))
  if (!topic || topic.deleted) throw E.threadNotFound()
  return topic
}

function topicName(raw: string | undefined): string {
  const name = raw ?? ''
  if (name.trim() === '') throw badRequest('TOPIC_TITLE_EMPTY')
  if (name.length > 128) throw badRequest('TOPIC_TITLE_TOO_LONG')
  return name
}

/** A topic service message (created, edited, closed, reopened) posted inside the topic. */
export function topicServiceMessage(world: World, chat: ChatState, senderId: number, threadId: number, service: Wire): void {
  const wire: Wire = { from: world.userWire(senderId), chat: world.chatWire(chat), message_thread_id: threadId, is_topic_message: true }
  const root = chat.messages.get(threadId)
  if (root) wire.reply_to_message = structuredClone(root.wire)
  world.store(chat, { threadId, senderId, senderIsBot: world.isBot(senderId), kind: 'service', wire: { ...wire, ...service } })
}

/** Creates a topic; its forum_topic_created message id is the thread id (a user may create one too). */
export function createTopic(world: World, chat: ChatState, creatorId: number, name: string, iconColor: number, emoji?: string): TopicState {
  const threadId = chat.nextMessageId
  const created = { name, icon_color: iconColor, ...(emoji ? { icon_custom_emoji_id: emoji } : {}) }
  world.store(chat, {
    threadId, senderId: creatorId, senderIsBot: world.isBot(creatorId), kind: 'service',
    wire: { from: world.userWire(creatorId), chat: world.chatWire(chat), message_thread_id: threadId, is_topic_message: true, forum_topic_created: created },
  })
  const topic: TopicState = { threadId, name, iconColor, iconCustomEmojiId: emoji, closed: false, deleted: false }
  chat.topics.set(threadId, topic)
  return topic
}

const createForumTopic: Handler = (ctx) => {
  const chat = forum(ctx)
  needRight(chat, ctx.bot, 'can_manage_topics', 'not enough rights to create a topic')
  const name = topicName(ctx.params.str('name'))
  const color = ctx.params.int('icon_color') ?? TOPIC_COLORS[0] ?? 0
  if (!TOPIC_COLORS.includes(color)) throw badRequest('TOPIC_ICON_COLOR_INVALID')
  const emoji = ctx.params.str('icon_custom_emoji_id') || undefined
  const topic = createTopic(ctx.world, chat, ctx.bot.id, name, color, emoji)
  return { message_thread_id: topic.threadId, name, icon_color: color, ...(emoji ? { icon_custom_emoji_id: emoji } : {}) }
}

const editForumTopic: Handler = (ctx) => {
  const chat = forum(ctx)
  needRight(chat, ctx.bot, 'can_manage_topics', 'not enough rights to manage topics')
  const topic = liveTopic(ctx, chat)
  const name = ctx.params.has('name') ? topicName(ctx.params.str('name')) : undefined
  const emoji = ctx.params.has('icon_custom_emoji_id') ? ctx.params.str('icon_custom_emoji_id') : undefined
  if ((name === undefined || name === topic.name) && (emoji === undefined || emoji === topic.iconCustomEmojiId)) throw badRequest('TOPIC_NOT_MODIFIED')
  if (name !== undefined) topic.name = name
  if (emoji !== undefined) topic.iconCustomEmojiId = emoji
  topicServiceMessage(ctx.world, chat, ctx.bot.id, topic.threadId, {
    forum_topic_edited: { ...(name !== undefined ? { name } : {}), ...(emoji !== undefined ? { icon_custom_emoji_id: emoji } : {}) },
  })
  return true
}

function setClosed(closed: boolean): Handler {
  return (ctx) => {
    const chat = forum(ctx)
    needRight(chat, ctx.bot, 'can_manage_topics', 'not enough rights to manage topics')
    const topic = liveTopic(ctx, chat)
    if (topic.closed === closed) throw badRequest('TOPIC_NOT_MODIFIED')
    topic.closed = closed
    topicServiceMessage(ctx.world, chat, ctx.bot.id, topic.threadId, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} })
    return true
  }
}

/** Deletes the topic and every message in it; nobody is told. */
export function deleteTopic(chat: ChatState, topic: TopicState): void {
  topic.deleted = true
  for (const m of chat.messages.values()) if (m.threadId === topic.threadId) m.deleted = true
}

const deleteForumTopic: Handler = (ctx) => {
  const chat = forum(ctx)
  needRight(chat, ctx.bot, 'can_delete_messages', 'not enough rights to delete a topic')
  deleteTopic(chat, liveTopic(ctx, chat))
  return true
}

export const topicHandlers: Record<string, Handler> = {
  createForumTopic,
  editForumTopic,
  closeForumTopic: setClosed(true),
  reopenForumTopic: setClosed(false),
  deleteForumTopic,
}
