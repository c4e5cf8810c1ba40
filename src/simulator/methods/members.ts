import { chatForBot, requireInt } from '../access.js'
import { badRequest } from '../api-error.js'
import type { ChatState, World } from '../world.js'
import { memberWire } from './chat-info.js'
import type { CallContext, Handler } from './context.js'

/**
 * A member's status changed: every admin bot of the group that asked for `chat_member` in its
 * allowed_updates hears of it (telegram-facts "Updates": only admins, only when listed; the bot
 * whose own status changed gets my_chat_member instead, see world-setup notifyBot).
 */
export function changeMember(world: World, chat: ChatState, id: number, actorId: number, change: () => void): void {
  const before = memberWire(world, chat, id)
  change()
  const after = memberWire(world, chat, id)
  if (JSON.stringify(before) === JSON.stringify(after)) return
  for (const adminId of chat.admins.keys()) {
    const bot = world.bots.get(adminId)
    if (!bot || adminId === id || !world.isMember(chat, adminId)) continue
    bot.queue.push('chat_member', { chat: world.chatWire(chat), from: world.userWire(actorId), date: world.clock.unix(), old_chat_member: before, new_chat_member: after })
  }
}

/** The group and user of a ban or unban, checked as Telegram does. */
function restrictable(ctx: CallContext): { chat: ChatState; userId: number } {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  // core.telegram.org/bots/api#banchatmember: not in private chats.
  if (chat.type === 'private') throw badRequest("chat member status can't be changed in private chats")
  // core.telegram.org/bots/api#banchatmember: "The bot must be an administrator in the chat … and must have the appropriate administrator rights" (can_restrict_members).
  if (!chat.admins.get(ctx.bot.id)?.can_restrict_members) throw badRequest('not enough rights to restrict/unrestrict chat member')
  const userId = requireInt(ctx.params, 'user_id')
  if (!ctx.world.users.has(userId) && !ctx.world.isBot(userId)) throw badRequest('user not found')
  return { chat, userId }
}

/**
 * core.telegram.org/bots/api#banchatmember: the user is removed and cannot come back through
 * invite links until unbanned. Admins cannot be banned this way (tdlib: "user is an
 * administrator of the chat"; the simulator refuses every admin, the stricter reading).
 */
const banChatMember: Handler = (ctx) => {
  const { chat, userId } = restrictable(ctx)
  if (userId === ctx.bot.id) throw badRequest("can't remove chat owner")
  if (chat.admins.has(userId)) throw badRequest('user is an administrator of the chat')
  changeMember(ctx.world, chat, userId, ctx.bot.id, () => {
    chat.members.delete(userId)
    chat.restricted.delete(userId)
    chat.kicked.add(userId)
  })
  return true
}

/**
 * core.telegram.org/bots/api#unbanchatmember: afterwards the user is not a member but may join
 * again; a current member is removed too unless `only_if_banned` is passed.
 */
const unbanChatMember: Handler = (ctx) => {
  const { chat, userId } = restrictable(ctx)
  if (chat.admins.has(userId)) throw badRequest('user is an administrator of the chat')
  if (ctx.params.bool('only_if_banned') && !chat.kicked.has(userId)) return true
  changeMember(ctx.world, chat, userId, ctx.bot.id, () => {
    chat.kicked.delete(userId)
    chat.members.delete(userId)
    chat.restricted.delete(userId)
  })
  return true
}

export const memberHandlers: Record<string, Handler> = { banChatMember, unbanChatMember }
