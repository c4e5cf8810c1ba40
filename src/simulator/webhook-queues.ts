import type { Update } from 'grammy/types'

/**
 * Which of a bot's webhook queues an update waits in, as telegram-bot-api files it (tdlib/telegram-bot-api
 * at 01a3679, `Client.cpp`: the `webhook_queue_id` each `add_update` / `add_message_update` passes;
 * `WebhookActor.cpp` sends the updates of one queue one at a time, in order, and different queues in
 * parallel). Undefined: a queue of its own (id 0 there, `unique_queue_id_++`), sent whenever a
 * connection is free. The kinds of the upper bits there (`<< 33`) are the prefixes here.
 */
export function webhookQueueOf(update: Update): string | undefined {
  // Messages, edits and channel posts: the chat id itself (`process_new_message_queue`: `add_message_update(…, chat_id)`).
  const message = update.message ?? update.edited_message ?? update.channel_post ?? update.edited_channel_post
  if (message) return `chat:${message.chat.id}`
  // Business messages: chat id + 11 << 33 (`process_new_business_message_queue`).
  const business = update.business_message ?? update.edited_business_message
  if (business) return `business:${business.chat.id}`
  if (update.deleted_business_messages) return `business:${update.deleted_business_messages.chat.id}`
  // The sender's user id + 1 << 33 (inline queries), 2 (chosen results), 3 (callback queries), 4 (shipping and pre-checkout queries), 10 (business connections).
  if (update.inline_query) return `inline:${update.inline_query.from.id}`
  if (update.chosen_inline_result) return `chosen:${update.chosen_inline_result.from.id}`
  if (update.callback_query) return `callback:${update.callback_query.from.id}`
  const payment = update.shipping_query ?? update.pre_checkout_query
  if (payment) return `payment:${payment.from.id}`
  if (update.business_connection) return `business_connection:${update.business_connection.user.id}`
  // my_chat_member: chat id + 5 << 33; chat_member and chat_join_request: user id + 6 << 33.
  if (update.my_chat_member) return `my_member:${update.my_chat_member.chat.id}`
  if (update.chat_member) return `member:${update.chat_member.new_chat_member.user.id}`
  if (update.chat_join_request) return `member:${update.chat_join_request.from.id}`
  // Boosts: chat id + 7 << 33; reactions: chat id + 8 << 33; reaction counts: chat id + 9 << 33.
  const boost = update.chat_boost ?? update.removed_chat_boost
  if (boost) return `boost:${boost.chat.id}`
  if (update.message_reaction) return `reaction:${update.message_reaction.chat.id}`
  if (update.message_reaction_count) return `reaction_count:${update.message_reaction_count.chat.id}`
  // Polls and their answers: the poll id.
  if (update.poll) return `poll:${update.poll.id}`
  if (update.poll_answer) return `poll:${update.poll_answer.poll_id}`
  return undefined
}
