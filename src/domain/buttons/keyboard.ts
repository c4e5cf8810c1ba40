/** An inline keyboard of callback buttons, as the Bot API's InlineKeyboardMarkup carries it. */
export interface Keyboard {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>
}

/** The Bot API's ForceReply: the client shows a reply box to the person asked (a suggestion's Edit). */
export interface ForceReplyMarkup {
  force_reply: true
  selective?: boolean
  input_field_placeholder?: string
}
