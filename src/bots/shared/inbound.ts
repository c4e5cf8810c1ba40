import type { Message, MessageReactionUpdated } from 'grammy/types'
import { messageKind } from '../../shared/message-content.js'
import type { InboundMessage, InboundReaction } from '../../domain/inbound.js'

/** A Telegram message as the domain reads it; the payload itself travels along to be stored. */
export function toInboundMessage(message: Message): InboundMessage {
  const reply = message.reply_to_message
  return {
    message_id: message.message_id,
    date: message.date,
    chat: { id: message.chat.id },
    from: message.from ? { id: message.from.id } : undefined,
    text: message.text,
    caption: message.caption,
    is_topic_message: message.is_topic_message,
    message_thread_id: message.message_thread_id,
    media_group_id: message.media_group_id,
    reply_to_message: reply ? { message_id: reply.message_id, forum_topic_created: reply.forum_topic_created } : undefined,
    forum_topic_closed: message.forum_topic_closed,
    forum_topic_reopened: message.forum_topic_reopened,
    kind: messageKind(message),
    raw: message,
  }
}

/** A reaction update as the domain reads it: only emoji reactions can be mirrored. */
export function toInboundReaction(update: MessageReactionUpdated): InboundReaction {
  return {
    chat: { id: update.chat.id },
    message_id: update.message_id,
    emoji: update.new_reaction.flatMap((r) => (r.type === 'emoji' ? [r.emoji] : [])),
  }
}
