import type { MessageEntity } from 'grammy/types'
import { chatForBot } from '../access.js'
import { badRequest } from '../api-error.js'
import { formatMessageText } from '../entities/format.js'
import type { World } from '../world.js'
import type { Handler } from './context.js'

// sendMessageDraft (Bot API 9.3, open to all bots since 9.5). Source: the method's doc comment in
// node_modules/@grammyjs/types/methods.d.ts and /work/shared/telegram-facts.md ("Newer Bot API features").

/** One draft update as the user saw it: the streamed text so far of draft `draftId` in a private chat. */
export interface DraftUpdate {
  botId: number
  chatId: number
  draftId: number
  text: string
  atMs: number
}

const drafts = new WeakMap<World, DraftUpdate[]>()

/** Every draft update a world's bots streamed, oldest first. */
export function draftsOf(world: World): DraftUpdate[] {
  let list = drafts.get(world)
  if (!list) drafts.set(world, (list = []))
  return list
}

/**
 * Streams a partial message to a user. Rules: "Unique identifier for the target private chat" (a
 * group is refused), "draft_id … must be non-zero", "Text … 0-4096 characters" (empty shows
 * "Thinking…"); "Returns True on success". The draft is a ~30-second preview and never becomes a
 * message: the bot must then call sendMessage with the whole text. A blocked bot is refused as
 * for any send (chatForBot 'write'). The 4096 count is "after entities parsing", so parse_mode
 * and entities are parsed as for sendMessage (bad markup refused the same way). Counting it
 * against the bot's flood limits is this simulator's assumption (it names no limit of its own;
 * the stricter choice), not a documented rule.
 */
const sendMessageDraft: Handler = (ctx) => {
  const chat = chatForBot(ctx.world, ctx.bot, ctx.params, 'write')
  if (chat.type !== 'private') throw badRequest('chat is not a private chat')
  const draftId = ctx.params.int('draft_id')
  if (!draftId) throw badRequest('draft_id must be non-zero')
  const raw = ctx.params.str('text') ?? ''
  // Empty shows "Thinking…"; otherwise parsed and counted as sendMessage's text is.
  const text = raw === '' ? '' : formatMessageText(raw, ctx.params.str('parse_mode'), ctx.params.json<MessageEntity[]>('entities')).text
  draftsOf(ctx.world).push({ botId: ctx.bot.id, chatId: chat.id, draftId, text, atMs: ctx.world.clock.nowMs() })
  return true
}

export const draftHandlers: Record<string, Handler> = { sendMessageDraft }
