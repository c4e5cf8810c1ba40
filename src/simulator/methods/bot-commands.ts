import { badRequest, E } from '../api-error.js'
import { chatByIdForBot } from '../access.js'
import type { Wire } from '../world.js'
import type { CallContext, Handler } from './context.js'

/**
 * The scope of setMyCommands/getMyCommands/deleteMyCommands, checked as the Bot API server and
 * tdlib check it, and reduced to a canonical key (a chat id given as a string or a number is
 * the same scope). Sources: telegram-bot-api Client.cpp get_bot_command_scope /
 * check_bot_command_scope; tdlib td/telegram/BotCommandScope.cpp.
 */
function scopeKey(ctx: CallContext): string {
  const raw = ctx.params.raw('scope')
  const language = ctx.params.str('language_code') ?? ''
  if (raw === undefined || raw === null || raw === '') return `default|${language}`
  let scope: Wire
  try {
    scope = typeof raw === 'string' ? (JSON.parse(raw) as Wire) : raw
  } catch {
    throw badRequest("Can't parse BotCommandScope JSON object")
  }
  const fail = (why: string) => badRequest(`Can't parse BotCommandScope: ${why}`)
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) throw fail('BotCommandScope must be an Object')
  const type = String(scope.type ?? '')
  if (['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators'].includes(type)) return `${type}|${language}`
  if (!['chat', 'chat_administrators', 'chat_member'].includes(type)) throw fail('Unsupported type specified')
  if (scope.chat_id === undefined || scope.chat_id === '') throw fail('Empty chat_id specified')
  const chatId = Number(scope.chat_id)
  let userId = 0
  if (type === 'chat_member') {
    userId = Number(scope.user_id)
    if (!Number.isInteger(userId) || userId <= 0) throw fail('Invalid user_id specified')
  }
  // check_chat(…, ReadMembers): a chat the bot is not in is "chat not found".
  if (!Number.isInteger(chatId)) throw E.chatNotFound()
  const chat = chatByIdForBot(ctx.world, ctx.bot, chatId, 'read')
  // tdlib BotCommandScope.cpp: only the plain chat scope may name a private chat.
  if (chat.type === 'private' && type !== 'chat') throw badRequest("Can't use specified scope in private chats")
  // tdlib resolves the user (get_input_user) and Telegram scopes the menu to a participant; the
  // simulator is stricter than what is documented and refuses a user who is not a member.
  if (type === 'chat_member' && !ctx.world.isMember(chat, userId)) throw badRequest('user not found')
  return `${type}:${chatId}${type === 'chat_member' ? `:${userId}` : ''}|${language}`
}

const setMyCommands: Handler = (ctx) => {
  const commands = ctx.params.json<Wire[]>('commands')
  if (!Array.isArray(commands)) throw badRequest('commands is empty')
  if (commands.length > 100) throw badRequest('too many commands')
  for (const c of commands) {
    if (!/^[a-z0-9_]{1,32}$/.test(String(c?.command))) throw badRequest('BOT_COMMAND_INVALID')
    const d = String(c?.description ?? '')
    if (d.length < 1 || d.length > 256) throw badRequest('command description is empty')
  }
  const key = scopeKey(ctx)
  // An empty list is how the Bot API server deletes a scope's commands (same as deleteMyCommands).
  if (commands.length === 0) ctx.bot.commands.delete(key)
  else
    ctx.bot.commands.set(
      key,
      commands.map((c) => ({ command: c.command, description: c.description })),
    )
  return true
}

const getMyCommands: Handler = (ctx) => ctx.bot.commands.get(scopeKey(ctx)) ?? []

const deleteMyCommands: Handler = (ctx) => {
  ctx.bot.commands.delete(scopeKey(ctx))
  return true
}

export const commandHandlers: Record<string, Handler> = { setMyCommands, getMyCommands, deleteMyCommands }
