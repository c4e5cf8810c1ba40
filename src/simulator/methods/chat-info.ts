import { chatForBot, liveMessage, requireInt } from '../access.js'
import { badRequest } from '../api-error.js'
import { snapshot } from '../compose.js'
import type { ChatState, StoredMessage, Wire, World } from '../world.js'
import type { CallContext, Handler } from './context.js'
import { serviceMessage } from './forum-topics.js'

/**
 * Pins a message. Telegram posts a pinned_message service message in the pinned message's chat
 * and topic (Bot API Message.pinned_message), also when notifications are off; the bot that
 * pinned gets no update for it, bots that see the pinner's messages do.
 */
export function pinMessage(world: World, m: StoredMessage, actorId: number): StoredMessage {
  m.pinned = true
  return serviceMessage(world, m.chat, actorId, m.threadId, { pinned_message: snapshot(m) })
}

/** A ChatMember object for one id in a chat. */
export function memberWire(world: World, chat: ChatState, id: number): Wire {
  const user = world.userWire(id)
  if (chat.type === 'private') return { status: 'member', user }
  if (chat.kicked.has(id)) return { status: 'kicked', user, until_date: 0 }
  if (!chat.members.has(id)) return { status: 'left', user }
  const rights = chat.admins.get(id)
  if (rights) return { status: 'administrator', user, can_be_edited: false, ...rights }
  if (chat.restricted.has(id)) return { status: 'restricted', user, is_member: true, can_send_messages: false, until_date: 0 }
  return { status: 'member', user }
}

const getChat: Handler = (ctx) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  return {
    ...ctx.world.chatWire(chat),
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false },
  }
}

const getChatMember: Handler = (ctx) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  const userId = requireInt(ctx.params, 'user_id')
  if (!ctx.world.users.has(userId) && !ctx.world.isBot(userId)) throw badRequest('user not found')
  if (chat.type === 'private' && userId !== chat.userId && userId !== chat.botId) throw badRequest('user not found')
  // The answer carries the user: from now on the bot may mention them (see checkMentionAccess).
  ctx.bot.queue.seenUsers.add(userId)
  return memberWire(ctx.world, chat, userId)
}

const getChatAdministrators: Handler = (ctx) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  if (chat.type === 'private') return []
  return [...chat.admins.keys()].filter((id) => ctx.world.isMember(chat, id)).map((id) => memberWire(ctx.world, chat, id))
}

const getChatMemberCount: Handler = (ctx) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  return [...chat.members].filter((id) => ctx.world.isMember(chat, id)).length
}

const leaveChat: Handler = (ctx) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  if (chat.type === 'private') throw badRequest("chat member status can't be changed in private chats")
  chat.members.delete(ctx.bot.id)
  chat.admins.delete(ctx.bot.id)
  return true
}

function pinnable(ctx: CallContext): ChatState {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'write')
  if (chat.type === 'supergroup' && !chat.admins.get(ctx.bot.id)?.can_pin_messages) {
    throw badRequest('not enough rights to manage pinned messages in the chat')
  }
  return chat
}

const pinChatMessage: Handler = (ctx) => {
  const chat = pinnable(ctx)
  const m = liveMessage(chat, ctx.params.int('message_id'))
  if (!m) throw badRequest('message to pin not found')
  pinMessage(ctx.world, m, ctx.bot.id)
  return true
}

const unpinChatMessage: Handler = (ctx) => {
  const chat = pinnable(ctx)
  const id = ctx.params.int('message_id')
  const pinned = [...chat.messages.values()].filter((m) => m.pinned && !m.deleted)
  const m = id === undefined ? pinned.at(-1) : pinned.find((p) => p.id === id)
  if (!m) throw badRequest('message to unpin not found')
  m.pinned = false
  return true
}

const unpinAllChatMessages: Handler = (ctx) => {
  const chat = pinnable(ctx)
  for (const m of chat.messages.values()) m.pinned = false
  return true
}

export const chatHandlers: Record<string, Handler> = {
  getChat,
  getChatMember,
  getChatAdministrators,
  getChatMemberCount,
  leaveChat,
  pinChatMessage,
  unpinChatMessage,
  unpinAllChatMessages,
}
