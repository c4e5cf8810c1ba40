import type { StoredMessage } from './world.js'

/**
 * The standard reaction emoji a bot may set (ReactionTypeEmoji in the Bot API). The service keeps
 * its own copy (domain/relay/standard-reactions.ts) on purpose: the simulator stands for Telegram,
 * and one shared list would hide a wrong entry from the tests instead of failing them.
 */
export const STANDARD_REACTIONS: ReadonlySet<string> = new Set([
  '👍',
  '👎',
  '❤',
  '🔥',
  '🥰',
  '👏',
  '😁',
  '🤔',
  '🤯',
  '😱',
  '🤬',
  '😢',
  '🎉',
  '🤩',
  '🤮',
  '💩',
  '🙏',
  '👌',
  '🕊',
  '🤡',
  '🥱',
  '🥴',
  '😍',
  '🐳',
  '❤‍🔥',
  '🌚',
  '🌭',
  '💯',
  '🤣',
  '⚡',
  '🍌',
  '🏆',
  '💔',
  '🤨',
  '😐',
  '🍓',
  '🍾',
  '💋',
  '🖕',
  '😈',
  '😴',
  '😭',
  '🤓',
  '👻',
  '👨‍💻',
  '👀',
  '🎃',
  '🙈',
  '😇',
  '😨',
  '🤝',
  '✍',
  '🤗',
  '🫡',
  '🎅',
  '🎄',
  '☃',
  '💅',
  '🤪',
  '🗿',
  '🆒',
  '💘',
  '🙉',
  '🦄',
  '😘',
  '💊',
  '🙊',
  '😎',
  '👾',
  '🤷‍♂',
  '🤷',
  '🤷‍♀',
  '😡',
])

/**
 * Where a reaction on `m` lands: for an album item, the first non-deleted message of the album
 * (Bot API setMessageReaction: "If the message belongs to a media group, the reaction is set to
 * the first non-deleted message in the group instead"; https://core.telegram.org/bots/api#setmessagereaction).
 */
export function reactionTarget(m: StoredMessage): StoredMessage {
  if (!m.mediaGroupId) return m
  for (const other of m.chat.messages.values()) if (other.mediaGroupId === m.mediaGroupId && !other.deleted) return other
  return m
}
