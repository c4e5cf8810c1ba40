import { createHash } from 'node:crypto'
import type { Message } from 'grammy/types'
import { composeMessage, newMediaGroupId, place } from './compose.js'
import { contentFields, kindOf } from './content.js'
import { pinMessage } from './methods/chat-info.js'
import { serviceMessage } from './methods/forum-topics.js'
import { isLive } from './methods/live-location.js'
import { STANDARD_REACTIONS } from './reactions.js'
import { PERSON_VIEW, renderFor } from './render.js'
import { deliverEdit, deliverNewMessage, reactionRecipients } from './routing.js'
import type { CallbackAnswer, UserContent } from './types.js'
import { typedText, userContent } from './user-content.js'
import type { ChatState, StoredMessage, Wire, World } from './world.js'

/**
 * The chat a user means. Groups by their id; a private chat by the bot's id (as the user sees it),
 * or by the user's own id when `botId` is given or the user talks to a single bot.
 */
export function userChat(world: World, userId: number, chatId: number, botId?: number): ChatState {
  if (chatId < 0) {
    const chat = world.groups.get(chatId)
    if (!chat) throw new Error(`simulator: no group ${chatId}`)
    return chat
  }
  const bot = botId ?? (world.isBot(chatId) ? chatId : undefined)
  if (bot !== undefined) {
    const chat = world.privateChat(bot, userId)
    if (!chat) throw new Error(`simulator: user ${userId} has no chat with bot ${bot}`)
    return chat
  }
  const chats = world.privateChatsOf(userId)
  if (chats.length === 1 && chats[0]) return chats[0]
  throw new Error(`simulator: user ${userId} talks to ${chats.length} bots; pass the bot id as chat id or o.botId`)
}

function userMessage(world: World, userId: number, chatId: number, messageId: number, botId?: number): StoredMessage {
  const chat = userChat(world, userId, chatId, botId)
  const m = chat.messages.get(messageId)
  if (!m || m.deleted) throw new Error(`simulator: message ${messageId} not found in chat ${chatId}`)
  return m
}

function post(world: World, userId: number, chat: ChatState, content: Wire, o: { threadId?: number; replyTo?: number; mediaGroupId?: string }): StoredMessage {
  if (!world.users.has(userId)) throw new Error(`simulator: unknown user ${userId}`)
  if (chat.type === 'supergroup' && !world.isMember(chat, userId)) throw new Error(`simulator: user ${userId} is not in ${chat.id}`)
  const placement = place(chat, { senderId: userId, threadId: o.threadId, replyTo: o.replyTo })
  const m = composeMessage(world, { chat, senderId: userId, content, placement, mediaGroupId: o.mediaGroupId })
  deliverNewMessage(world, m)
  return m
}

export function sendPrivate(world: World, userId: number, botId: number, content: UserContent, o: { replyTo?: number } = {}): Message {
  if (!world.isBot(botId)) throw new Error(`simulator: unknown bot ${botId}`)
  if (world.users.get(userId)?.blocked.has(botId)) throw new Error(`simulator: user ${userId} blocked bot ${botId}; unblock first`)
  const chat = world.ensurePrivateChat(botId, userId)
  const m = post(world, userId, chat, userContent(world, content), o)
  return renderFor(world.files, m.wire, botId)
}

export function sendGroup(world: World, userId: number, chatId: number, content: UserContent, o: { threadId?: number; replyTo?: number } = {}): Message {
  const m = post(world, userId, userChat(world, userId, chatId), userContent(world, content), o)
  return renderFor(world.files, m.wire, PERSON_VIEW)
}

export function sendAlbum(world: World, userId: number, target: { botId: number } | { chatId: number; threadId?: number }, items: UserContent[]): Message[] {
  if (items.length < 2 || items.length > 10) throw new Error('simulator: an album has 2-10 items')
  const contents = items.map((item) => userContent(world, item))
  const kinds = contents.map(kindOf)
  if (kinds.some((k) => !['photo', 'video', 'document', 'audio'].includes(k))) throw new Error('simulator: albums hold photos, videos, documents or audios')
  const chat = 'botId' in target ? world.ensurePrivateChat(target.botId, userId) : userChat(world, userId, target.chatId)
  const threadId = 'chatId' in target ? target.threadId : undefined
  const mediaGroupId = newMediaGroupId(world)
  const viewer = 'botId' in target ? target.botId : PERSON_VIEW
  return contents.map((content) => renderFor(world.files, post(world, userId, chat, content, { threadId, mediaGroupId }).wire, viewer))
}

/** Edits a user's own message: text, caption (text given for a media message) or media. */
export function editMessage(world: World, userId: number, chatId: number, messageId: number, content: UserContent, botId?: number): Message {
  const m = userMessage(world, userId, chatId, messageId, botId)
  if (m.senderId !== userId) throw new Error('simulator: people can edit only their own messages')
  let next: Wire
  if ('text' in content && m.kind !== 'text') {
    next = { ...contentFields(m.wire) }
    delete next.caption_entities
    const typed = typedText(content.text, content.entities)
    next.caption = typed.text
    if (typed.entities) next.caption_entities = typed.entities
  } else next = userContent(world, content)
  for (const key of Object.keys(contentFields(m.wire))) delete m.wire[key]
  Object.assign(m.wire, next)
  m.kind = kindOf(next)
  m.edited = true
  m.wire.edit_date = world.clock.unix()
  deliverEdit(world, m)
  return renderFor(world.files, m.wire, m.chat.botId ?? PERSON_VIEW)
}

/**
 * A user's live location moves: its bots get edited_message with the new position (Bot API
 * Message.location; https://core.telegram.org/bots/api#location "live_period ... For active live locations only").
 */
export function moveLiveLocation(
  world: World,
  userId: number,
  chatId: number,
  messageId: number,
  position: { latitude: number; longitude: number; heading?: number },
  botId?: number,
): Message {
  const m = userMessage(world, userId, chatId, messageId, botId)
  if (m.senderId !== userId) throw new Error('simulator: people can move only their own live locations')
  if (!isLive(world, m)) throw new Error(`simulator: message ${messageId} is not a live location that is still live`)
  const { heading: _old, ...current } = m.wire.location as Wire
  m.wire.location = { ...current, latitude: position.latitude, longitude: position.longitude, ...(position.heading ? { heading: position.heading } : {}) }
  m.edited = true
  m.wire.edit_date = world.clock.unix()
  deliverEdit(world, m)
  return renderFor(world.files, m.wire, m.chat.botId ?? PERSON_VIEW)
}

/** Replaces the user's reaction set on a message; bots that asked for message_reaction hear of it. */
export function react(world: World, userId: number, chatId: number, messageId: number, emojis: string[], botId?: number): void {
  const m = userMessage(world, userId, chatId, messageId, botId)
  for (const e of emojis) if (!STANDARD_REACTIONS.has(e)) throw new Error(`simulator: ${e} is not a standard reaction`)
  const old = m.reactions.get(userId) ?? []
  if (emojis.length) m.reactions.set(userId, [...emojis])
  else m.reactions.delete(userId)
  const toTypes = (list: string[]) => list.map((emoji) => ({ type: 'emoji', emoji }))
  const payload = {
    chat: world.chatWire(m.chat),
    message_id: m.id,
    user: world.userWire(userId),
    date: world.clock.unix(),
    old_reaction: toTypes(old),
    new_reaction: toTypes(emojis),
  }
  for (const bot of reactionRecipients(world, m.chat)) bot.queue.push('message_reaction', structuredClone(payload))
}

/**
 * How long a press waits for the bot's answer: Telegram's own window for answering (telegram-facts
 * "Updates"; later answers are refused as too old). A shorter wait failed correct presses whose
 * answer a loaded machine made slow.
 */
const CALLBACK_WAIT_MS = 15_000

/**
 * Presses an inline button; resolves with the bot's answer, or undefined after 15 s.
 * The query goes to the bot that posted the message, and only to it (Bot API, CallbackQuery:
 * "the message sent by the bot with the callback button"; telegram-facts.md line 31).
 * `forged`: a modified client sending callback data that is not on the message. Whether
 * Telegram checks the data against the message's buttons is not documented, so the simulator
 * lets a test send it and the service must refuse it.
 */
export function pressButton(
  world: World,
  userId: number,
  chatId: number,
  messageId: number,
  data: string,
  o: { botId?: number; forged?: boolean } = {},
): Promise<CallbackAnswer | undefined> {
  const m = userMessage(world, userId, chatId, messageId, o.botId)
  const buttons = m.replyMarkup?.inline_keyboard.flat() ?? []
  if (!buttons.some((b) => 'callback_data' in b && (o.forged || b.callback_data === data)))
    throw new Error(`simulator: message ${messageId} has no button with callback_data ${data}`)
  const bot = world.bots.get(m.senderId)
  if (!bot) throw new Error('simulator: only bot messages have buttons')
  return deliverCallbackQuery(world, bot.id, userId, m.chat.id, renderFor(world.files, m.wire, bot.id), data)
}

/**
 * Queues the callback_query of a press for the bot whose message it is and waits for its answer
 * (up to CALLBACK_WAIT_MS; undefined when none came). Used for ordinary and ephemeral messages alike.
 */
export function deliverCallbackQuery(world: World, botId: number, userId: number, chatId: number, message: Wire, data: string): Promise<CallbackAnswer | undefined> {
  const bot = world.bots.get(botId)!
  const id = String(world.prng.int(1e9, 9e9)) + String(world.prng.int(1e9, 9e9))
  const chatInstance = BigInt(`0x${createHash('sha256').update(`${chatId}:${bot.id}`).digest('hex').slice(0, 15)}`).toString()
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), CALLBACK_WAIT_MS)
    timer.unref()
    world.callbacks.set(id, {
      id,
      botId: bot.id,
      createdAtMs: world.clock.nowMs(),
      answered: false,
      resolve: (answer) => {
        clearTimeout(timer)
        resolve(answer)
      },
    })
    bot.queue.push('callback_query', { id, from: world.userWire(userId), message, chat_instance: chatInstance, data })
  })
}

/** A person pins a message in the app: a pinned_message service message, delivered like their messages. */
export function pinByHand(world: World, userId: number, chatId: number, messageId: number, botId?: number): void {
  const m = userMessage(world, userId, chatId, messageId, botId)
  deliverNewMessage(world, pinMessage(world, m, userId))
}

/**
 * A person sets the chat's auto-delete timer (0 turns it off): a message_auto_delete_timer_changed
 * service message (Bot API MessageAutoDeleteTimerChanged). The simulator does not delete anything.
 */
export function setAutoDeleteTimer(world: World, userId: number, chatId: number, seconds: number, botId?: number): void {
  const chat = userChat(world, userId, chatId, botId)
  deliverNewMessage(world, serviceMessage(world, chat, userId, undefined, { message_auto_delete_timer_changed: { message_auto_delete_time: seconds } }))
}

/** Blocks or unblocks a bot: the bot gets my_chat_member; while blocked, its sends fail with 403. */
export function setBlocked(world: World, userId: number, botId: number, blocked: boolean): void {
  const user = world.users.get(userId)
  const bot = world.bots.get(botId)
  if (!user || !bot) throw new Error('simulator: unknown user or bot')
  if (user.blocked.has(botId) === blocked) return
  if (blocked) user.blocked.add(botId)
  else user.blocked.delete(botId)
  const chat = world.ensurePrivateChat(botId, userId)
  const member = (status: string) => ({ user: world.userWire(botId), status, ...(status === 'kicked' ? { until_date: 0 } : {}) })
  bot.queue.push('my_chat_member', {
    chat: world.chatWire(chat),
    from: world.userWire(userId),
    date: world.clock.unix(),
    old_chat_member: member(blocked ? 'member' : 'kicked'),
    new_chat_member: member(blocked ? 'kicked' : 'member'),
  })
}
