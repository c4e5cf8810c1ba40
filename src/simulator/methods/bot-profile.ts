import { badRequest } from '../api-error.js'
import type { CallContext, Handler } from './context.js'
import { commandHandlers } from './bot-commands.js'

const getMe: Handler = ({ bot }) => ({
  id: bot.id,
  is_bot: true,
  first_name: bot.firstName,
  username: bot.username,
  can_join_groups: true,
  can_read_all_group_messages: bot.canReadAllGroupMessages,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
})

/**
 * The bot's description (shown in an empty chat, 0-512 characters) and short description (on
 * its profile and in shared links, 0-120), per language; an empty string removes the one for
 * that language (docs: setMyDescription, setMyShortDescription). The error text for a value
 * over the limit is not documented: the simulator's is its own, and the service checks the
 * limits in its config before ever sending.
 */
function describe(field: 'description' | 'short_description', limit: number) {
  const store = (ctx: CallContext) => (field === 'description' ? ctx.bot.descriptions : ctx.bot.shortDescriptions)
  const set: Handler = (ctx) => {
    const text = ctx.params.str(field) ?? ''
    if ([...text].length > limit) throw badRequest(`${field} is too long`)
    const language = ctx.params.str('language_code') ?? ''
    if (text === '') store(ctx).delete(language)
    else store(ctx).set(language, text)
    return true
  }
  // The text set for exactly that language ('' when none): whether Telegram falls back to the
  // default one here is not documented, and the service reads the default only.
  const get: Handler = (ctx) => ({ [field]: store(ctx).get(ctx.params.str('language_code') ?? '') ?? '' })
  return { set, get }
}

const description = describe('description', 512)
const shortDescription = describe('short_description', 120)

const getFile: Handler = (ctx) => {
  const fileId = ctx.params.str('file_id')
  if (!fileId) throw badRequest('file_id is empty')
  return ctx.world.files.getFile(ctx.bot.id, fileId)
}

export const profileHandlers: Record<string, Handler> = {
  getMe,
  getFile,
  ...commandHandlers,
  setMyDescription: description.set,
  getMyDescription: description.get,
  setMyShortDescription: shortDescription.set,
  getMyShortDescription: shortDescription.get,
}
