import type { MessageEntity } from 'grammy/types'
import { sortEntities } from './html.js'
import { normalizeUrl } from './markdown-v2.js'
import { byteOffset, parseError } from './utf8.js'

const MARKERS: Record<string, string> = { '*': 'bold', _: 'italic', '`': 'code' }

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
export function parseMarkdown(input: string): { text: string; entities: MessageEntity[] } {
  let text = ''
  const entities: MessageEntity[] = []
  let i = 0
  while (i < input.length) {
    const c = input[i] as string
    if (c === '\\' && '_*`['.includes(input[i + 1] ?? ' ')) {
      text += input[i + 1]
      i += 2
      continue
    }
    const at = byteOffset(input, i)
    const fail = () => parseError(`Can't find end of the entity starting at byte offset ${at}`)
    if (input.startsWith('```', i)) {
      const end = input.indexOf('```', i + 3)
      if (end < 0) throw fail()
      let body = input.slice(i + 3, end)
      const m = /^([^\s`]+)\n/.exec(body)
      const language = m?.[1]
      if (m) body = body.slice(m[0].length)
      if (body.length > 0) entities.push({ type: 'pre', offset: text.length, length: body.length, ...(language ? { language } : {}) })
      text += body
      i = end + 3
      continue
    }
    const type = MARKERS[c]
    if (type) {
      const end = input.indexOf(c, i + 1)
      if (end < 0) throw fail()
      const body = input.slice(i + 1, end)
      if (body.length > 0) entities.push({ type, offset: text.length, length: body.length } as MessageEntity)
      text += body
      i = end + 1
      continue
    }
    if (c === '[') {
      const close = input.indexOf(']', i + 1)
      if (close < 0) throw fail()
      const body = input.slice(i + 1, close)
      let url: string | undefined
      let next = close + 1
      if (input[next] === '(') {
        const end = input.indexOf(')', next + 1)
        if (end < 0) throw fail()
        url = normalizeUrl(input.slice(next + 1, end))
        next = end + 1
      }
      if (url && body.length > 0) entities.push({ type: 'text_link', offset: text.length, length: body.length, url })
      text += body
      i = next
      continue
    }
    text += c
    i++
  }
  return { text, entities: sortEntities(entities) }
}
