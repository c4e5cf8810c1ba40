/** An inline keyboard of callback buttons, as the Bot API's InlineKeyboardMarkup carries it. */
export interface Keyboard {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>
}
