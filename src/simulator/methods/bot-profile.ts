import { badRequest } from '../api-error.js'
import type { Wire } from '../world.js'
import type { CallContext, Handler } from './context.js'

const getMe: Handler = ({ bot }) => ({
  id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username,
  can_join_groups: true, can_read_all_group_messages: bot.canReadAllGroupMessages, supports_inline_queries: false,
  can_connect_to_business: false, has_main_web_app: false,
})

function scopeKey(ctx: CallContext): string {
  const scope = ctx.params.json<Wire>('scope') ?? { type: 'default' }
  return `${JSON.stringify(scope)}|${ctx.params.str('language_code') ?? ''}`
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
  ctx.bot.commands.set(scopeKey(ctx), commands.map((c) => ({ command: c.command, description: c.description })))
  return true
}

const getMyCommands: Handler = (ctx) => ctx.bot.commands.get(scopeKey(ctx)) ?? []

const deleteMyCommands: Handler = (ctx) => {
  ctx.bot.commands.delete(scopeKey(ctx))
  return true
}

const getFile: Handler = (ctx) => {
  const fileId = ctx.params.str('file_id')
  if (!fileId) throw badRequest('file_id is empty')
  return ctx.world.files.getFile(ctx.bot.id, fileId)
}

export const profileHandlers: Record<string, Handler> = { getMe, setMyCommands, getMyCommands, deleteMyCommands, getFile }
