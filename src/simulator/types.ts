import type { InlineKeyboardMarkup, Message, MessageEntity } from 'grammy/types'

/** Per-bot flood limits, modelled on what Telegram documents (all opt-in in the simulator). */
export interface RateLimitOptions {
  /** Sustained messages per second into one private chat (default 1). */
  privatePerSecond?: number
  /** Short burst tolerated in one private chat (default 3). */
  privateBurst?: number
  /** Messages per minute into one group, all topics together (default 20). */
  groupPerMinute?: number
  /** Messages per second across all chats (default 30). */
  globalPerSecond?: number
}

export interface FaultOptions {
  /** Share of calls answered 500 "Internal Server Error" or 502 "Bad Gateway". */
  serverErrorRate?: number
  /** Share of calls whose socket is destroyed without answer; half of them took effect first. */
  dropRate?: number
  /** Limit faults to these methods; default: every send, edit, copy and forward method. */
  methods?: string[]
}

/** Slow answers, to exercise timeouts and leases (off by default). */
export interface LatencyOptions {
  /** Extra milliseconds before answering these methods. */
  methods?: Record<string, number>
  /**
   * Extra milliseconds between these methods taking effect and their answer: the chat shows the
   * new message while its sender does not know its id yet. telegram-bot-api answers a send only
   * from `on_message_send_succeeded` (tdlib/telegram-bot-api, Client.h/Client.cpp: the query waits
   * among the chat's yet-unsent messages for TDLib's updateMessageSendSucceeded, the server's
   * reply), while the server pushes the new message to the chat's members on its own, so a person
   * can react or reply to it first. How long that window is depends on the network (uncertain,
   * confidence medium): the simulator makes it as long as a test asks.
   */
  afterEffect?: Record<string, number>
  /** Uploads arrive at this speed: a call carrying files waits their size divided by it. */
  uploadBytesPerSecond?: number
}

export interface SimulatorOptions {
  port?: number
  host?: string
  rateLimits?: RateLimitOptions | false
  faults?: FaultOptions | false
  latency?: LatencyOptions | false
  seed?: number
  log?: (line: string) => void
  /** Act as a local `telegram-bot-api --local`: getFile writes files here and returns absolute paths (no HTTP download). */
  localFilesDir?: string
}

/** A forced failure: an error answer, or a dropped connection (`drop`: before or after the call took effect). */
export type FailNextOptions = {
  token?: string
  method: string
  chatId?: number
  times?: number
  /** Let this many matching calls succeed first (to fail the 2nd part of a split text, say). */
  after?: number
} & ({ error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } } | { drop: 'before' | 'after' })

/** Rights of a chat administrator, as in Bot API ChatAdministratorRights. */
export interface AdminRights {
  is_anonymous: boolean
  can_manage_chat: boolean
  can_delete_messages: boolean
  can_manage_video_chats: boolean
  can_restrict_members: boolean
  can_promote_members: boolean
  can_change_info: boolean
  can_invite_users: boolean
  can_post_stories: boolean
  can_edit_stories: boolean
  can_delete_stories: boolean
  can_pin_messages: boolean
  can_manage_topics: boolean
}

export interface SimBot {
  id: number
  token: string
  username: string
  firstName: string
}

export interface SimUser {
  id: number
  firstName: string
  lastName?: string
  username?: string
  languageCode?: string
}

export interface SimChat {
  id: number
  title: string
  isForum: boolean
}

export interface FileSpec {
  /**
   * Re-send a file already in the cloud (from the user's chats): it keeps its file_unique_id.
   * Without it the bytes are uploaded as a new file object with a new file_unique_id.
   */
  fileUniqueId?: string
  /** Content; default: 1 KiB of seeded random bytes. */
  bytes?: Buffer
  fileName?: string
  mimeType?: string
  /** Pretend size, for the 20 MB getFile limit. */
  size?: number
}

export type UserContent =
  | { text: string; entities?: MessageEntity[] }
  | { photo: FileSpec; caption?: string }
  | { video: FileSpec; caption?: string }
  | { animation: FileSpec; caption?: string }
  | { audio: FileSpec; caption?: string }
  | { voice: FileSpec; caption?: string }
  | { video_note: FileSpec }
  | { document: FileSpec; caption?: string }
  | { sticker: FileSpec & { emoji?: string } }
  /** With live_period (seconds) a live location: move it with moveLiveLocation. */
  | { location: { latitude: number; longitude: number; live_period?: number; heading?: number } }
  | { venue: { latitude: number; longitude: number; title: string; address: string } }
  | { contact: { phone_number: string; first_name: string; last_name?: string } }
  | { poll: { question: string; options: string[] } }
  | { dice: { emoji?: string } }

export type MessageKind =
  'text' | 'photo' | 'video' | 'animation' | 'audio' | 'voice' | 'video_note' | 'document' | 'sticker' | 'location' | 'venue' | 'contact' | 'poll' | 'dice' | 'service'

export interface SimMessageView {
  message_id: number
  chat_id: number
  thread_id?: number
  from: { id: number; is_bot: boolean; name: string }
  kind: MessageKind
  /** Text or caption. */
  text?: string
  entities?: MessageEntity[]
  file_unique_id?: string
  reply_to_message_id?: number
  reactions: Array<{ by: number; emoji: string }>
  edited: boolean
  deleted: boolean
  pinned: boolean
  reply_markup?: InlineKeyboardMarkup
  media_group_id?: string
  date: number
  raw: Message
}

export interface CallbackAnswer {
  text?: string
  show_alert?: boolean
}

export interface TopicView {
  message_thread_id: number
  name: string
  icon_color: number
  closed: boolean
  deleted: boolean
}

export interface SimStats {
  calls: Record<string, number>
  uploads: Record<number, number>
  rateLimited: number
  faults: number
  sent: number
  /**
   * Bot reactions asked for on a non-first album item and set on the album's first item instead.
   * The Bot API 7.0 docs required bots to react to the first item: a bot that needs this move
   * relies on the newer rule (telegram-facts "Reactions on albums", M).
   */
  albumReactionsMoved: number
  /** getUpdates calls that ended another one still waiting for the same bot (409 "terminated by other getUpdates request"): two pollers at once. */
  pollConflicts: number
}

export interface Delivery {
  botId: number
  chatId: number
  threadId?: number
  messageId: number
  at: number
  text?: string
}

/** Private chats are per user×bot; user-side calls name them by bot id, or by user id plus `botId`. */
export interface ChatRef {
  botId?: number
}
