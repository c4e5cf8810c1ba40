/** The emoji a bot may set with setMessageReaction (Telegram's standard reaction list). */
export const STANDARD_REACTIONS = new Set([
  '👍', '👎', '❤', '🔥', '🥰', '👏', '😁', '🤔', '🤯', '😱', '🤬', '😢', '🎉', '🤩', '🤮', '💩', '🙏', '👌', '🕊', '🤡',
  '🥱', '🥴', '😍', '🐳', '❤‍🔥', '🌚', '🌭', '💯', '🤣', '⚡', '🍌', '🏆', '💔', '🤨', '😐', '🍓', '🍾', '💋', '🖕', '😈',
  '😴', '😭', '🤓', '👻', '👨‍💻', '👀', '🎃', '🙈', '😇', '😨', '🤝', '✍', '🤗', '🫡', '🎅', '🎄', '☃', '💅', '🤪', '🗿',
  '🆒', '💘', '🙉', '🦄', '😘', '💊', '🙊', '😎', '👾', '🤷‍♂', '🤷', '🤷‍♀', '😡',
])

const CLOSE_MATCHES: Record<string, string> = { '❤️': '❤', '♥️': '❤', '😂': '🤣', '😀': '😁', '😃': '😁', '😊': '🥰', '🙂': '👍', '✅': '👌', '👋': '🤝', '😮': '😱', '☹️': '😢', '😔': '😢' }

/** A standard reaction for an emoji a user chose, or undefined when there is no close one. */
export function toStandardReaction(emoji: string): string | undefined {
  if (STANDARD_REACTIONS.has(emoji)) return emoji
  const stripped = emoji.replace(/\uFE0F/g, '')
  if (STANDARD_REACTIONS.has(stripped)) return stripped
  return CLOSE_MATCHES[emoji]
}
