import type { ForceReply, InlineKeyboardMarkup, MessageEntity } from 'grammy/types'
import type { Target } from './destination.js'

export type { Target } from './destination.js'
/** Formatting of a text (bold, mentions…), as the Bot API takes it. */
export type { MessageEntity } from 'grammy/types'

/** A reply target: a known Telegram message, the copy behind a relay link, or the result of an earlier job. */
export type ReplyRef = { messageId: number } | { linkId: number } | { originalMessageRowId: number }

/** The payload of one outbox row; each is one outbound Telegram call (plus reads such as getFile). */
export type OutboxJob =
  /** Post the copy behind a relay link (content rendered from the stored message at send time). */
  | { type: 'relay'; linkId: number }
  /**
   * Post the not-yet-sent parts of an album to the first link's chat as one sendMediaGroup.
   * Each part queues one (delayed) job; the first to run sends all parts that arrived.
   */
  | { type: 'relay_album'; firstLinkId: number; mediaGroupId: string }
  /** Re-render an already delivered copy after its original was edited. */
  | { type: 'edit_copy'; linkId: number }
  /** Delete a delivered copy, or any message the bot may delete. */
  | { type: 'delete'; linkId?: number; chatId?: number; messageId?: number }
  /** Set (or clear, with []) the bot's reaction on a message or on a relay copy. */
  | { type: 'react'; chatId?: number; messageId?: number; linkId?: number; emoji: string[] }
  /** A plain notice or card. `purpose` says what to record once it is sent. */
  | {
      type: 'text'
      target: Target
      text: string
      entities?: MessageEntity[]
      replyTo?: ReplyRef
      /** Inline buttons, or a ForceReply prompt (a suggestion's Edit asks for the new text with one). */
      replyMarkup?: InlineKeyboardMarkup | ForceReply
      purpose?: { kind: 'assignment_card'; assignmentId: number } | { kind: 'profile_card'; topicId: number; pin: boolean }
    }
  /**
   * The one notice of a flood window: counts the customer's messages not relayed for flooding
   * from `sinceRowId` until `until` (ISO time) when it is sent, and posts `text` with {count} filled in.
   */
  | { type: 'flood_notice'; target: Target; customerId: number; sinceRowId: number; until: string; text: string }
  /** Edit a bot's own text message (assignment cards). */
  | { type: 'edit_text'; chatId: number; messageId: number; text: string; entities?: MessageEntity[]; replyMarkup?: InlineKeyboardMarkup }
  | { type: 'create_topic'; topicId: number }
  /** Close or reopen a customer's topic (idle auto-close, Treatment closed, reassignment cleanup). */
  | { type: 'close_topic'; topicId: number }
  | { type: 'reopen_topic'; topicId: number }
  /** Delete a retired topic (reassignment cleanup when configured to delete). */
  | { type: 'delete_topic'; topicId: number }
  | { type: 'create_system_topic'; systemTopicId: number }
  /**
   * One client's copy of a broadcast (its message is the broadcast row's source, sent by the client
   * bot); `paid` sets `allow_paid_broadcast`.
   */
  | { type: 'broadcast'; broadcastId: number; chatId: number; paid?: boolean }
  /** Remove someone from a group and let them be invited again (enforceMembership). */
  | { type: 'remove_member'; chatId: number; userId: number }
  /**
   * A message only `receiverUserId` sees in the group (Bot API `ephemeral_message_parameters`):
   * `send` posts it (the result carries its `ephemeralMessageId`), `edit` changes its text and buttons.
   */
  | { type: 'ephemeral'; op: 'send'; target: Target; receiverUserId: number; text: string; replyMarkup?: InlineKeyboardMarkup }
  | { type: 'ephemeral'; op: 'edit'; chatId: number; receiverUserId: number; ephemeralMessageId: number; text: string; replyMarkup?: InlineKeyboardMarkup }

export type OutboxJobType = OutboxJob['type']
