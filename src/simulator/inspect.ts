import type { InlineKeyboardMarkup, MessageEntity } from 'grammy/types'
import { fileOf } from './content.js'
import { PERSON_VIEW, renderFor } from './render.js'
import type { SimMessageView, TopicView } from './types.js'
import { userChat } from './user-actions.js'
import type { ChatState, StoredMessage, World } from './world.js'

/** A message as a person sees it in the app. */
export function viewOf(world: World, m: StoredMessage): SimMessageView {
  const reply = m.wire.reply_to_message
  const file = fileOf(m.wire)
  return {
    message_id: m.id,
    chat_id: m.chat.id,
    ...(m.threadId !== undefined ? { thread_id: m.threadId } : {}),
    from: { id: m.senderId, is_bot: m.senderIsBot, name: world.displayName(m.senderId) },
    kind: m.kind,
    ...(typeof m.wire.text === 'string' ? { text: m.wire.text } : typeof m.wire.caption === 'string' ? { text: m.wire.caption } : {}),
    ...(m.wire.entities || m.wire.caption_entities ? { entities: (m.wire.entities ?? m.wire.caption_entities) as MessageEntity[] } : {}),
    ...(file ? { file_unique_id: String(file.file_unique_id) } : {}),
    ...(reply && !reply.forum_topic_created ? { reply_to_message_id: Number(reply.message_id) } : {}),
    reactions: [...m.reactions].flatMap(([by, emojis]) => emojis.map((emoji) => ({ by, emoji }))),
    edited: m.edited,
    deleted: m.deleted,
    pinned: m.pinned,
    ...(m.replyMarkup ? { reply_markup: structuredClone<InlineKeyboardMarkup>(m.replyMarkup) } : {}),
    ...(m.mediaGroupId ? { media_group_id: m.mediaGroupId } : {}),
    date: m.date,
    raw: renderFor(world.files, m.wire, PERSON_VIEW),
  }
}

function inspectedChat(world: World, chatId: number, botId?: number): ChatState {
  if (chatId < 0) {
    const chat = world.groups.get(chatId)
    if (!chat) throw new Error(`simulator: no group ${chatId}`)
    return chat
  }
  return userChat(world, chatId, chatId, botId)
}

export function chatMessages(world: World, chatId: number, o: { threadId?: number; includeDeleted?: boolean; botId?: number } = {}): SimMessageView[] {
  const chat = inspectedChat(world, chatId, o.botId)
  return [...chat.messages.values()].filter((m) => (o.includeDeleted || !m.deleted) && (o.threadId === undefined || m.threadId === o.threadId)).map((m) => viewOf(world, m))
}

export function privateMessages(world: World, userId: number, botId: number, o: { includeDeleted?: boolean } = {}): SimMessageView[] {
  const chat = world.privateChat(botId, userId)
  return chat ? [...chat.messages.values()].filter((m) => o.includeDeleted || !m.deleted).map((m) => viewOf(world, m)) : []
}

export function topicsOf(world: World, chatId: number): TopicView[] {
  const chat = world.groups.get(chatId)
  if (!chat) throw new Error(`simulator: no group ${chatId}`)
  return [...chat.topics.values()].map((t) => ({
    message_thread_id: t.threadId,
    name: t.name,
    icon_color: t.iconColor,
    closed: t.closed,
    deleted: t.deleted,
  }))
}

/** Polls every 10 ms until the probe returns something truthy. */
export async function waitFor<T>(probe: () => T | undefined | false | null, o: { timeoutMs?: number; message?: string } = {}): Promise<T> {
  // Patient by default (a hang guard, not a budget): a condition that holds ends the wait at once,
  // and a busy machine may need tens of seconds for what takes one on a quiet one.
  const timeoutMs = o.timeoutMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`${o.message ?? 'waitFor: condition not met'} (timeout ${timeoutMs} ms)`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
