import type { CallbackQuery } from 'grammy/types'

export { NOT_THIS_MESSAGE } from '../../domain/button-binding.js'

/** The message a button was pressed on, as Telegram reports it with the press. */
export interface PressedMessage {
  chatId: number
  messageId: number
  /** The forum topic the message is in, if any. */
  threadId?: number
  /** The bot that posted it (the press only reaches that bot), so the only one that may edit it. */
  botId: number
}

/**
 * Binds a press to its message: the callback data must be one of the buttons of the message it
 * was pressed on. Telegram fills `callback_query.message` itself, so a modified client can send
 * any data but cannot change the message; data copied from another card or prompt, or an old
 * message Telegram no longer shows (date 0), is refused.
 */
export function pressedMessage(query: CallbackQuery, botId: number): PressedMessage | undefined {
  const message = query.message
  if (!message || message.date === 0 || !('reply_markup' in message)) return undefined
  const buttons = message.reply_markup?.inline_keyboard.flat() ?? []
  if (!buttons.some((button) => 'callback_data' in button && button.callback_data === query.data)) return undefined
  const threadId = message.is_topic_message ? message.message_thread_id : undefined
  return { chatId: message.chat.id, messageId: message.message_id, ...(threadId ? { threadId } : {}), botId }
}
