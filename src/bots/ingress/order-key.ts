import { Context } from 'grammy'
import type { Update } from 'grammy/types'

/**
 * Which updates must be handled one after another (same key) and which may run side by side.
 * A customer's topic is its own key (chat + thread), so a slow handler in one topic does not
 * hold up the other customers' topics of the same staff group, while each customer keeps their
 * order; a client's private chat is the client; a button press follows the message it sits on;
 * everything else (General, reactions, membership changes) goes by chat, then by sender.
 */
export function orderKey(ctx: Context): string | undefined {
  const message = ctx.msg
  if (message?.is_topic_message && message.message_thread_id !== undefined) return `${message.chat.id}:${message.message_thread_id}`
  if (ctx.chat) return String(ctx.chat.id)
  return ctx.from ? String(ctx.from.id) : undefined
}

/** The order key of a raw update (ingress has no context yet; the getters read the update only). */
export function orderKeyOfUpdate(update: Update): string | undefined {
  return orderKey(new Context(update, undefined as never, undefined as never))
}
