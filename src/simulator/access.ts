import { badRequest, E, forbidden } from './api-error.js'
import type { MessageEntity } from 'grammy/types'
import type { Params } from './params.js'
import type { BotState, ChatState, World } from './world.js'

/**
 * How a bot uses a chat: `read` it, `write` in it (edits, reactions, topics), or `post` new
 * messages (which a member restricted from sending may not).
 */
export type ChatAccess = 'read' | 'write' | 'post'

/**
 * The chat named by chat_id as this bot may use it. Bots see only their own private chats and the
 * groups they belong to; writing also needs the user not to have blocked the bot.
 */
export function chatForBot(world: World, bot: BotState, params: Params, mode: ChatAccess, name = 'chat_id'): ChatState {
  if (!params.has(name)) throw badRequest(`${name} is empty`)
  let id: number | undefined
  try {
    id = params.int(name)
  } catch {
    throw E.chatNotFound()
  }
  if (id === undefined) throw E.chatNotFound()
  return chatByIdForBot(world, bot, id, mode)
}

export function chatByIdForBot(world: World, bot: BotState, id: number, mode: ChatAccess): ChatState {
  if (id > 0) {
    if (world.isBot(id)) throw mode === 'write' ? forbidden("bot can't send messages to bots") : E.chatNotFound()
    const user = world.users.get(id)
    if (!user) throw E.chatNotFound()
    const chat = world.privateChat(bot.id, id)
    if (!chat) throw mode !== 'read' ? E.cantInitiate() : E.chatNotFound()
    if (mode !== 'read' && user.blocked.has(bot.id)) throw E.blocked()
    return chat
  }
  const chat = world.groups.get(id)
  if (!chat) throw E.chatNotFound()
  if (chat.kicked.has(bot.id)) throw E.kicked()
  if (!chat.members.has(bot.id)) throw E.chatNotFound()
  // tdlib MessagesManager::can_send_message → Bot API "have no write access to the chat" (CHAT_WRITE_FORBIDDEN).
  if (mode === 'post' && chat.restricted.has(bot.id)) throw E.noWriteAccess()
  return chat
}

/** The message a bot refers to, when it exists and is not deleted. */
export function liveMessage(chat: ChatState, id: number | undefined) {
  if (id === undefined) return undefined
  const m = chat.messages.get(id)
  return m && !m.deleted ? m : undefined
}

export function requireInt(params: Params, name: string): number {
  const v = params.int(name)
  if (v === undefined) throw badRequest(`${name} is empty`)
  return v
}

/**
 * A `text_mention` needs access to the mentioned user: tdlib's MessageEntity.cpp
 * (get_message_entities, textEntityTypeMentionName) fails "Have no access to the user" unless it
 * knows the user, and the Bot API shows td errors with a lower-cased first letter (medium
 * confidence on the exact text). Stricter here: a bot knows only users it received an update
 * from, fetched with getChatMember, or has a private chat with.
 */
export function checkMentionAccess(world: World, bot: BotState, entities: readonly MessageEntity[]): void {
  for (const entity of entities) {
    if (entity.type !== 'text_mention') continue
    const id = entity.user.id
    if (!bot.queue.seenUsers.has(id) && !world.privateChat(bot.id, id)) throw badRequest('have no access to the user')
  }
}
