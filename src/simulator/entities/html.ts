import type { MessageEntity } from 'grammy/types'
import { byteOffset, parseError } from './utf8.js'

type Draft = Record<string, unknown> & { type: string }

const SIMPLE_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
}
const SUPPORTED = new Set([...Object.keys(SIMPLE_TAGS), 'a', 'span', 'tg-emoji'])
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' }

interface Open {
  tag: string
  offset: number
  entity?: Draft
}

/** Parses Telegram's HTML parse mode (the subset and error texts of tdlib's parse_html). */
export function parseHtml(input: string): { text: string; entities: MessageEntity[] } {
  let text = ''
  const entities: MessageEntity[] = []
  const stack: Open[] = []
  let i = 0
  while (i < input.length) {
    const c = input[i]
    if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/.exec(input.slice(i, i + 12))
      const decoded = m ? decodeEntity(m[1] ?? '') : undefined
      if (m && decoded !== undefined) {
        text += decoded
        i += m[0].length
      } else {
        text += c
        i++
      }
      continue
    }
    if (c !== '<') {
      text += c
      i++
      continue
    }
    const at = byteOffset(input, i)
    if (input[i + 1] === '/') {
      let j = i + 2
      while (j < input.length && input[j] !== '>' && !/\s/.test(input[j] ?? '')) j++
      const name = input.slice(i + 2, j).toLowerCase()
      while (j < input.length && /\s/.test(input[j] ?? '')) j++
      const open = stack.pop()
      if (!open) throw parseError(`Unexpected end tag at byte offset ${at}`)
      if (input[j] !== '>') throw parseError(`Unclosed end tag at byte offset ${at}`)
      if (name !== '' && name !== open.tag) {
        throw parseError(`Unmatched end tag at byte offset ${at}, expected "</${open.tag}>", found "</${name}>"`)
      }
      const length = text.length - open.offset
      if (open.entity && length > 0) entities.push({ ...open.entity, offset: open.offset, length } as MessageEntity)
      i = j + 1
      continue
    }
    let j = i + 1
    while (j < input.length && /[a-zA-Z0-9-]/.test(input[j] ?? '')) j++
    const tag = input.slice(i + 1, j).toLowerCase()
    if (!SUPPORTED.has(tag)) throw parseError(`Unsupported start tag "${tag}" at byte offset ${at}`)
    const attrs: Record<string, string> = {}
    for (;;) {
      while (j < input.length && /\s/.test(input[j] ?? '')) j++
      if (j >= input.length) throw parseError(`Unclosed start tag at byte offset ${at}`)
      if (input[j] === '>') break
      const nameStart = j
      while (j < input.length && /[a-zA-Z0-9_-]/.test(input[j] ?? '')) j++
      const attr = input.slice(nameStart, j).toLowerCase()
      if (attr === '') throw parseError(`Empty attribute name in the tag "${tag}" at byte offset ${at}`)
      while (j < input.length && /\s/.test(input[j] ?? '')) j++
      if (input[j] !== '=') {
        attrs[attr] = ''
        continue
      }
      j++
      while (j < input.length && /\s/.test(input[j] ?? '')) j++
      if (j >= input.length) throw parseError(`Unclosed start tag "${tag}" at byte offset ${at}`)
      const quote = input[j]
      let value: string
      if (quote === '"' || quote === "'") {
        const end = input.indexOf(quote, j + 1)
        if (end < 0) throw parseError(`Unclosed start tag at byte offset ${at}`)
        value = parseHtml(input.slice(j + 1, end).replace(/</g, '&lt;')).text
        j = end + 1
      } else {
        const start = j
        while (j < input.length && /[a-zA-Z0-9.\-_:/?=&#%+]/.test(input[j] ?? '')) j++
        if (j >= input.length) throw parseError(`Unexpected end of name token at byte offset ${byteOffset(input, j)}`)
        value = input.slice(start, j)
      }
      attrs[attr] = value
    }
    stack.push({ tag, offset: text.length, entity: entityFor(tag, attrs, stack, at) })
    i = j + 1
  }
  const open = stack.at(-1)
  if (open) throw parseError(`Can't find end tag corresponding to start tag "${open.tag}"`)
  return { text, entities: sortEntities(entities) }
}

function entityFor(tag: string, attrs: Record<string, string>, stack: Open[], at: number): Draft | undefined {
  if (tag === 'a') {
    const href = attrs.href
    if (!href) return undefined
    const user = /^tg:\/\/user\?id=(\d+)$/.exec(href)
    if (user) return { type: 'text_mention', user: { id: Number(user[1]), is_bot: false, first_name: '' } }
    return { type: 'text_link', url: href }
  }
  if (tag === 'span') {
    if (attrs.class !== 'tg-spoiler') throw parseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`)
    return { type: 'spoiler' }
  }
  if (tag === 'tg-emoji') {
    const id = attrs['emoji-id']
    if (!id) throw parseError(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${at}`)
    return { type: 'custom_emoji', custom_emoji_id: id }
  }
  if (tag === 'blockquote' && 'expandable' in attrs) return { type: 'expandable_blockquote' }
  if (tag === 'code') {
    const parent = stack.at(-1)
    const language = /^language-(.+)$/.exec(attrs.class ?? '')?.[1]
    if (parent?.tag === 'pre' && parent.entity && language) parent.entity.language = language
  }
  const type = SIMPLE_TAGS[tag]
  return type ? { type } : undefined
}

function decodeEntity(name: string): string | undefined {
  if (name.startsWith('#x')) return safeCodePoint(parseInt(name.slice(2), 16))
  if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10))
  return NAMED[name]
}

function safeCodePoint(n: number): string | undefined {
  return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined
}

/** Telegram lists entities by offset, outer (longer) first. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length)
}
