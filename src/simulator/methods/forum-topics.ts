import { chatForBot, requireInt } from '../access.js'
import { badRequest, E } from '../api-error.js'
import type { BotState, ChatState, StoredMessage, TopicState, Wire, World } from '../world.js'
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

/** Editing, closing and reopening need can_manage_topics, unless the bot created the topic (tdlib ForumTopicManager::edit_forum_topic: `is_outgoing`). */
function needManage(chat: ChatState, bot: BotState, topic: TopicState): void {
  if (topic.creatorId !== bot.id) needRight(chat, bot, 'can_manage_topics', 'not enough rights to manage topics')
}

function liveTopic(ctx: CallContext, chat: ChatState): TopicState {
  const topic = chat.topics.get(requireInt(ctx.params, 'message_thread_id'))
  if (!topic || topic.deleted) throw E.threadNotFound()
  return topic
}

const TOPIC_NAME_MAX = 128

/**
 * Topic names are cleaned, not refused: tdlib's clean_name (ForumTopicManager::create_forum_topic,
 * MAX_FORUM_TOPIC_TITLE_LENGTH = 128) turns control characters into spaces, collapses whitespace,
 * trims and truncates to 128 characters; only a name empty after that fails ("Title must be
 * non-empty", telegram-facts "Forum topics").
 */
export function cleanTopicName(raw: string | undefined): string {
  const cleaned = (raw ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const name = [...cleaned].slice(0, TOPIC_NAME_MAX).join('').trim()
  if (name === '') throw badRequest('title must be non-empty')
  return name
}

/** A service message (topic created/edited/closed/reopened, pin, auto-delete timer) in a chat or topic. */
export function serviceMessage(world: World, chat: ChatState, senderId: number, threadId: number | undefined, service: Wire): StoredMessage {
  const wire: Wire = { from: world.userWire(senderId), chat: world.chatWire(chat) }
  if (threadId !== undefined) {
    wire.message_thread_id = threadId
    wire.is_topic_message = true
    const root = chat.messages.get(threadId)
    if (root) wire.reply_to_message = structuredClone(root.wire)
  }
  return world.store(chat, { threadId, senderId, senderIsBot: world.isBot(senderId), kind: 'service', wire: { ...wire, ...service } })
}

/** Creates a topic; its forum_topic_created message id is the thread id (a user may create one too). */
export function createTopic(world: World, chat: ChatState, creatorId: number, name: string, iconColor: number, emoji?: string): TopicState {
  const threadId = chat.nextMessageId
  const created = { name, icon_color: iconColor, ...(emoji ? { icon_custom_emoji_id: emoji } : {}) }
  world.store(chat, {
    threadId,
    senderId: creatorId,
    senderIsBot: world.isBot(creatorId),
    kind: 'service',
    wire: { from: world.userWire(creatorId), chat: world.chatWire(chat), message_thread_id: threadId, is_topic_message: true, forum_topic_created: created },
  })
  const topic: TopicState = { threadId, name, iconColor, iconCustomEmojiId: emoji, creatorId, closed: false, deleted: false }
  chat.topics.set(threadId, topic)
  return topic
}

const createForumTopic: Handler = (ctx) => {
  const chat = forum(ctx)
  needRight(chat, ctx.bot, 'can_manage_topics', 'not enough rights to create a topic')
  const name = cleanTopicName(ctx.params.str('name'))
  const color = ctx.params.int('icon_color') ?? TOPIC_COLORS[0] ?? 0
  if (!TOPIC_COLORS.includes(color)) throw badRequest('TOPIC_ICON_COLOR_INVALID')
  const emoji = ctx.params.str('icon_custom_emoji_id') || undefined
  const topic = createTopic(ctx.world, chat, ctx.bot.id, name, color, emoji)
  return { message_thread_id: topic.threadId, name, icon_color: color, ...(emoji ? { icon_custom_emoji_id: emoji } : {}) }
}

const editForumTopic: Handler = (ctx) => {
  const chat = forum(ctx)
  const topic = liveTopic(ctx, chat)
  needManage(chat, ctx.bot, topic)
  const name = ctx.params.has('name') ? cleanTopicName(ctx.params.str('name')) : undefined
  const emoji = ctx.params.has('icon_custom_emoji_id') ? ctx.params.str('icon_custom_emoji_id') : undefined
  if ((name === undefined || name === topic.name) && (emoji === undefined || emoji === topic.iconCustomEmojiId)) throw badRequest('TOPIC_NOT_MODIFIED')
  if (name !== undefined) topic.name = name
  if (emoji !== undefined) topic.iconCustomEmojiId = emoji
  serviceMessage(ctx.world, chat, ctx.bot.id, topic.threadId, {
    forum_topic_edited: { ...(name !== undefined ? { name } : {}), ...(emoji !== undefined ? { icon_custom_emoji_id: emoji } : {}) },
  })
  return true
}

function setClosed(closed: boolean): Handler {
  return (ctx) => {
    const chat = forum(ctx)
    const topic = liveTopic(ctx, chat)
    needManage(chat, ctx.bot, topic)
    if (topic.closed === closed) throw badRequest('TOPIC_NOT_MODIFIED')
    topic.closed = closed
    // The service message goes to the chat, but a bot gets no update for its own messages.
    serviceMessage(ctx.world, chat, ctx.bot.id, topic.threadId, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} })
    return true
  }
}

/**
 * Who may post in a closed topic: its creator and admins with can_manage_topics; everyone else
 * gets TOPIC_CLOSED (td_api can_send_message_to_forum_topic; telegram-facts "Forum topics").
 * A group switched to `closedTopicsRefuseAll` refuses everyone, for tests of the recovery path.
 */
export function mayPostInClosedTopic(chat: ChatState, topic: TopicState, senderId: number): boolean {
  if (chat.closedTopicsRefuseAll) return false
  return topic.creatorId === senderId || chat.admins.get(senderId)?.can_manage_topics === true
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
