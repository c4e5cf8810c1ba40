import type { InlineKeyboardMarkup } from 'grammy/types'
import { badRequest } from '../api-error.js'
import type { Params } from '../params.js'
import type { Wire } from '../world.js'

const ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
]

/** The inline keyboard from reply_markup, validated; other keyboard kinds are accepted and not stored. */
export function inlineMarkup(params: Params): InlineKeyboardMarkup | undefined {
  const markup = params.json<Wire>('reply_markup')
  if (!markup || typeof markup !== 'object') return undefined
  if (!('inline_keyboard' in markup)) return undefined
  const rows = markup.inline_keyboard
  if (!Array.isArray(rows)) throw badRequest('can\'t parse inline keyboard button: field "inline_keyboard" must be of type Array')
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    for (const button of row as Wire[]) {
      if (typeof button?.text !== 'string') throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
      const actions = ACTIONS.filter((a) => button[a] !== undefined)
      if (actions.length !== 1) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(button.callback_data))
        if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID')
      }
      if (button.url !== undefined && !/^(https?|tg):\/\/\S+$/i.test(String(button.url))) throw badRequest('BUTTON_URL_INVALID')
    }
  }
  return rows.length === 0 ? undefined : { inline_keyboard: rows }
}

/** reply_parameters (or legacy reply_to_message_id / allow_sending_without_reply). */
export function replyOptions(params: Params): { replyTo?: number; allowWithoutReply: boolean; chatId?: number } {
  const rp = params.json<Wire>('reply_parameters')
  if (rp && typeof rp === 'object') {
    return {
      replyTo: typeof rp.message_id === 'number' ? rp.message_id : Number(rp.message_id),
      allowWithoutReply: rp.allow_sending_without_reply === true,
      chatId: rp.chat_id === undefined ? undefined : Number(rp.chat_id),
    }
  }
  return { replyTo: params.int('reply_to_message_id'), allowWithoutReply: params.bool('allow_sending_without_reply') }
}
