import type { MessageEntity } from 'grammy/types'

const PATTERNS: Array<[MessageEntity['type'], RegExp]> = [
  ['bot_command', /(^|\s)(\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z][a-zA-Z0-9_]{2,31})?)(?![\w/@])/g],
  ['mention', /(^|[^\w@])(@[a-zA-Z][a-zA-Z0-9_]{3,31})(?![\w@])/g],
  ['hashtag', /(^|[^\w#])(#\w*[a-zA-Z_]\w*)/g],
  ['url', /(^|[\s(])((?:https?:\/\/|www\.)[^\s<>"]*[^\s<>".,!?:;)\]'])/g],
]
const OPAQUE = new Set(['code', 'pre', 'text_link', 'text_mention', 'url', 'custom_emoji'])

/** Entities Telegram finds on its own in any text (commands, mentions, hashtags, URLs). */
export function detectEntities(text: string, given: MessageEntity[]): MessageEntity[] {
  const found: MessageEntity[] = []
  const blocked = given.filter((e) => OPAQUE.has(e.type))
  for (const [type, re] of PATTERNS) {
    re.lastIndex = 0
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const offset = m.index + (m[1] ?? '').length
      const length = (m[2] ?? '').length
      const overlaps = [...blocked, ...found].some((e) => offset < e.offset + e.length && e.offset < offset + length)
      if (!overlaps) found.push({ type, offset, length } as MessageEntity)
    }
  }
  return found
}
