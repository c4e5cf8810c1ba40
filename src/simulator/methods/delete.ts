import { chatForBot } from '../access.js'
import { badRequest } from '../api-error.js'
import type { ChatState, World } from '../world.js'
import type { CallContext, Handler } from './context.js'

const MAX_AGE_SECONDS = 48 * 3600

/** Why a bot may not delete a message, or undefined when it may (Telegram's 48 h and rights rules). */
export function deleteRefusal(world: World, chat: ChatState, botId: number, messageId: number | undefined): Error | undefined {
  const m = messageId === undefined ? undefined : chat.messages.get(messageId)
  if (!m || m.deleted) return badRequest('message to delete not found')
  if (m.wire.forum_topic_created) return badRequest("message can't be deleted")
  const own = m.senderId === botId
  if (chat.type === 'supergroup' && !own && !chat.admins.get(botId)?.can_delete_messages) return badRequest("message can't be deleted")
  if (world.clock.unix() - m.date > MAX_AGE_SECONDS) {
    return badRequest(chat.type === 'private' ? "message can't be deleted for everyone" : "message can't be deleted")
  }
  return undefined
}

function markDeleted(chat: ChatState, id: number): void {
  const m = chat.messages.get(id)
  if (m) m.deleted = true
}

/** Deletions are never reported to bots, so nothing is queued. */
const deleteMessage: Handler = (ctx: CallContext) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  const id = ctx.params.int('message_id')
  const refusal = deleteRefusal(ctx.world, chat, ctx.bot.id, id)
  if (refusal) throw refusal
  markDeleted(chat, id as number)
  return true
}

/** Skips messages that can't be found or deleted, as documented. */
const deleteMessages: Handler = (ctx: CallContext) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'read')
  const ids = ctx.params.json<number[]>('message_ids')
  if (!Array.isArray(ids) || ids.length === 0) throw badRequest('message_ids must be non-empty')
  if (ids.length > 100) throw badRequest('too many messages to delete')
  for (const id of ids) if (!deleteRefusal(ctx.world, chat, ctx.bot.id, id)) markDeleted(chat, id)
  return true
}

export const deleteHandlers: Record<string, Handler> = { deleteMessage, deleteMessages }
