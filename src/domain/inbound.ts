/**
 * What the domain reads of an inbound Telegram message, reaction or user: its own small types,
 * filled in by the bot adapters (src/bots/shared/inbound.ts), so the domain needs no grammY.
 * Field names follow the Bot API, so the conversion is a copy.
 */

export interface InboundChat {
  id: number
}

export interface InboundUser {
  id: number
}

/** The message a reply points at: enough to tell a real reply from a topic's root pseudo-reply. */
export interface InboundReplyTarget {
  message_id: number
  forum_topic_created?: unknown
}

export interface InboundMessage {
  message_id: number
  /** Telegram's send date (Unix seconds). */
  date: number
  chat: InboundChat
  from?: InboundUser
  text?: string
  caption?: string
  is_topic_message?: boolean
  message_thread_id?: number
  media_group_id?: string
  reply_to_message?: InboundReplyTarget
  forum_topic_closed?: unknown
  forum_topic_reopened?: unknown
  /** Short kind name stored on the message row ("text", "photo", "dice"…). */
  kind: string
  /** The Telegram payload as received, stored as is (messages.raw) and rendered from later. */
  raw: object
}

/** A reaction change on a message: the emoji now chosen (custom and paid reactions left out). */
export interface InboundReaction {
  chat: InboundChat
  message_id: number
  emoji: string[]
}
