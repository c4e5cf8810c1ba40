import type { InlineKeyboardMarkup, Message, MessageEntity } from 'grammy/types'
import { chatForBot } from './access.js'
import { badRequest } from './api-error.js'
import { place } from './compose.js'
import { formatMessageText } from './entities/format.js'
import type { CallContext, Handler } from './methods/context.js'
import { inlineMarkup } from './methods/markup.js'
import type { CallbackAnswer } from './types.js'
import { deliverCallbackQuery } from './user-actions.js'
import type { World } from './world.js'

// Ephemeral messages (Bot API 10.2; docs `EphemeralMessageParameters`, `editEphemeralMessageText`,
// `deleteEphemeralMessage`; the field comments in @grammyjs/types message.d.ts and methods.d.ts).

/** One ephemeral message: in a group, shown to `receiverId` only. */
export interface EphemeralMessage {
  ephemeralId: number
  chatId: number
  threadId?: number
  botId: number
  receiverId: number
  text: string
  entities?: MessageEntity[]
  replyMarkup?: InlineKeyboardMarkup
  date: number
  edited: boolean
  deleted: boolean
  /** Telegram took it but the receiver never got it ("It is not guaranteed that the user will receive the message"). */
  lost: boolean
}

/**
 * How the next ephemeral sends fare: `deliver` (default); `refuse`: the call fails (400), as a
 * send may; `lose`: the call succeeds but the receiver never sees it (Telegram gives no receipt).
 */
export type EphemeralDelivery = 'deliver' | 'refuse' | 'lose'

interface EphemeralState {
  messages: EphemeralMessage[]
  /** Per chat: the last ephemeral_message_id given ("identifier of the ephemeral message inside this chat"). */
  lastId: Map<number, number>
  delivery: EphemeralDelivery
}

const states = new WeakMap<World, EphemeralState>()
function stateOf(world: World): EphemeralState {
  let state = states.get(world)
  if (!state) states.set(world, (state = { messages: [], lastId: new Map(), delivery: 'deliver' }))
  return state
}

export function setEphemeralDelivery(world: World, delivery: EphemeralDelivery): void {
  stateOf(world).delivery = delivery
}

/** True when a send method's call asks for an ephemeral message. */
export function isEphemeralCall(ctx: CallContext): boolean {
  return ctx.params.has('ephemeral_message_parameters')
}

/** The wire message as the bot (and the receiver) see it: `message_id` 0, with `receiver_user` and `ephemeral_message_id` (docs `Message`). */
function wireOf(world: World, m: EphemeralMessage): Message {
  const chat = world.groups.get(m.chatId)!
  return {
    message_id: 0,
    ephemeral_message_id: m.ephemeralId,
    receiver_user: world.userWire(m.receiverId),
    from: world.userWire(m.botId),
    chat: world.chatWire(chat),
    date: m.date,
    ...(m.threadId !== undefined ? { message_thread_id: m.threadId, is_topic_message: true } : {}),
    text: m.text,
    ...(m.entities?.length ? { entities: m.entities } : {}),
    ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
  } as unknown as Message
}

/**
 * sendMessage with `ephemeral_message_parameters`: only in groups ("Unique identifier for the
 * target chat … supergroup" of the ephemeral methods), to a member of the chat (stricter than
 * documented); text only here (the service sends no other ephemeral content).
 */
export const sendEphemeralMessage: Handler = (ctx) => {
  const { world, bot, params } = ctx
  const chat = chatForBot(world, bot, params, 'post')
  const receiverId = params.json<{ receiver_user_id?: number }>('ephemeral_message_parameters')?.receiver_user_id
  if (chat.type === 'private') throw badRequest('ephemeral messages can be sent only to groups')
  if (!receiverId || !world.isMember(chat, receiverId)) throw badRequest('receiver user not found')
  const state = stateOf(world)
  if (state.delivery === 'refuse') throw badRequest('failed to send the ephemeral message')
  const text = formatMessageText(params.str('text'), params.str('parse_mode'), params.json<MessageEntity[]>('entities'))
  const { threadId } = place(chat, { senderId: bot.id, threadId: params.int('message_thread_id') })
  const ephemeralId = (state.lastId.get(chat.id) ?? 0) + 1
  state.lastId.set(chat.id, ephemeralId)
  const replyMarkup = inlineMarkup(params)
  const message: EphemeralMessage = {
    ephemeralId,
    chatId: chat.id,
    ...(threadId !== undefined ? { threadId } : {}),
    botId: bot.id,
    receiverId,
    text: text.text,
    ...(text.entities.length ? { entities: text.entities } : {}),
    ...(replyMarkup ? { replyMarkup } : {}),
    date: Math.floor(world.clock.nowMs() / 1000),
    edited: false,
    deleted: false,
    lost: state.delivery === 'lose',
  }
  state.messages.push(message)
  return wireOf(world, message)
}

/** The bot's own ephemeral message in the chat, by its id and receiver; gone: "message to edit not found". */
function ownEphemeral(ctx: CallContext, missing: string): EphemeralMessage {
  const { world, bot, params } = ctx
  const chat = chatForBot(world, bot, params, 'post')
  const receiverId = params.int('receiver_user_id')
  const ephemeralId = params.int('ephemeral_message_id')
  const found = stateOf(world).messages.find((m) => m.chatId === chat.id && m.ephemeralId === ephemeralId && m.receiverId === receiverId && m.botId === bot.id && !m.deleted)
  if (!found) throw badRequest(missing)
  return found
}

/** editEphemeralMessageText: new text (and keyboard); True on success (docs). */
const editEphemeralMessageText: Handler = (ctx) => {
  const m = ownEphemeral(ctx, 'message to edit not found')
  const text = formatMessageText(ctx.params.str('text'), ctx.params.str('parse_mode'), ctx.params.json<MessageEntity[]>('entities'))
  const replyMarkup = inlineMarkup(ctx.params)
  if (m.text === text.text && JSON.stringify(m.replyMarkup) === JSON.stringify(replyMarkup)) {
    throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message')
  }
  m.text = text.text
  m.entities = text.entities.length ? text.entities : undefined
  m.replyMarkup = replyMarkup
  m.edited = true
  return true
}

/** editEphemeralMessageReplyMarkup: a new keyboard, or none. */
const editEphemeralMessageReplyMarkup: Handler = (ctx) => {
  const m = ownEphemeral(ctx, 'message to edit not found')
  m.replyMarkup = inlineMarkup(ctx.params)
  m.edited = true
  return true
}

/** deleteEphemeralMessage: True on success; the id may be given again later (docs `Message.ephemeral_message_id`). */
const deleteEphemeralMessage: Handler = (ctx) => {
  ownEphemeral(ctx, 'message to delete not found').deleted = true
  return true
}

export const ephemeralHandlers: Record<string, Handler> = { editEphemeralMessageText, editEphemeralMessageReplyMarkup, deleteEphemeralMessage }

/** The ephemeral messages a user sees in a chat (optionally one topic): theirs, delivered, not deleted. */
export function ephemeralSeenBy(world: World, userId: number, chatId: number, threadId?: number): EphemeralMessage[] {
  return stateOf(world).messages.filter((m) => m.receiverId === userId && m.chatId === chatId && !m.lost && !m.deleted && (threadId === undefined || m.threadId === threadId))
}

/** Every ephemeral message sent in a chat, whoever receives it (deleted and lost ones included). */
export function ephemeralSent(world: World, chatId: number): EphemeralMessage[] {
  return stateOf(world).messages.filter((m) => m.chatId === chatId)
}

/** The receiver presses a button of an ephemeral message: its bot gets a callback_query carrying the ephemeral message (no one else sees it to press). */
export function pressEphemeralButton(world: World, userId: number, chatId: number, ephemeralId: number, data: string): Promise<CallbackAnswer | undefined> {
  const m = ephemeralSeenBy(world, userId, chatId).find((e) => e.ephemeralId === ephemeralId)
  if (!m) throw new Error(`simulator: user ${userId} sees no ephemeral message ${ephemeralId} in chat ${chatId}`)
  if (!m.replyMarkup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data === data)) {
    throw new Error(`simulator: ephemeral message ${ephemeralId} has no button with callback_data ${data}`)
  }
  return deliverCallbackQuery(world, m.botId, userId, chatId, wireOf(world, m), data)
}
