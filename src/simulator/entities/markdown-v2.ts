import type { MessageEntity } from 'grammy/types'
import { sortEntities } from './html.js'
import { byteOffset, parseError } from './utf8.js'

type Kind = 'Bold' | 'Italic' | 'Underline' | 'Strikethrough' | 'Spoiler' | 'Code' | 'Pre' | 'PreCode' | 'TextUrl' | 'CustomEmoji'

interface Open {
  kind: Kind
  offset: number
  at: number
  language?: string
}

const TYPES: Partial<Record<Kind, string>> = {
  Bold: 'bold',
  Italic: 'italic',
  Underline: 'underline',
  Strikethrough: 'strikethrough',
  Spoiler: 'spoiler',
  Code: 'code',
  Pre: 'pre',
  PreCode: 'pre',
}
const RESERVED = '_*[]()~`>#+-=|{}.!'

/** Parses MarkdownV2 with tdlib's rules: every reserved character outside an entity marker must be escaped. */
export function parseMarkdownV2(input: string): { text: string; entities: MessageEntity[] } {
  let text = ''
  const entities: MessageEntity[] = []
  const stack: Open[] = []
  let quoteStart: number | undefined
  let i = 0
  const push = (e: Record<string, unknown>) => entities.push(e as unknown as MessageEntity)
  const closeQuote = () => {
    if (quoteStart !== undefined && text.length > quoteStart) push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart })
    quoteStart = undefined
  }
  while (i < input.length) {
    const c = input[i] as string
    const top = stack.at(-1)
    const inCode = top !== undefined && (top.kind === 'Code' || top.kind === 'Pre' || top.kind === 'PreCode')
    const atLineStart = i === 0 || input[i - 1] === '\n'
    if (atLineStart && !inCode) {
      if (c === '>') {
        if (quoteStart === undefined) quoteStart = text.length
        i++
        continue
      }
      closeQuote()
    }
    if (c === '\\') {
      const next = input[i + 1]
      if (next !== undefined && next.charCodeAt(0) > 0 && next.charCodeAt(0) < 127) {
        text += next
        i += 2
      } else {
        text += c
        i++
      }
      continue
    }
    if (inCode && c !== '`') {
      text += c
      i++
      continue
    }
    if (top && closes(top.kind, input, i)) {
      stack.pop()
      const length = text.length - top.offset
      if (top.kind === 'TextUrl') {
        i++
        let url = ''
        if (input[i] === '(') {
          const end = findUrlEnd(input, i + 1)
          if (end < 0) throw parseError(`Can't find end of a URL at byte offset ${byteOffset(input, i + 1)}`)
          url = input.slice(i + 1, end).replace(/\\([)\\])/g, '$1')
          i = end + 1
        } else {
          url = text.slice(top.offset)
        }
        const normalized = normalizeUrl(url)
        if (normalized && length > 0) push({ type: 'text_link', offset: top.offset, length, url: normalized })
        continue
      }
      const width = top.kind === 'Pre' || top.kind === 'PreCode' ? 3 : top.kind === 'Underline' || top.kind === 'Spoiler' ? 2 : 1
      i += width
      if (length > 0) {
        const entity: Record<string, unknown> = { type: TYPES[top.kind], offset: top.offset, length }
        if (top.kind === 'PreCode' && top.language) entity.language = top.language
        push(entity)
      }
      continue
    }
    const at = byteOffset(input, i)
    const open = (kind: Kind, width: number, language?: string) => {
      stack.push({ kind, offset: text.length, at, language })
      i += width
    }
    if (c === '_') open(input[i + 1] === '_' ? 'Underline' : 'Italic', input[i + 1] === '_' ? 2 : 1)
    else if (c === '*') open('Bold', 1)
    else if (c === '~') open('Strikethrough', 1)
    else if (c === '|' && input[i + 1] === '|') open('Spoiler', 2)
    else if (c === '[') open('TextUrl', 1)
    else if (c === '`' && input.startsWith('```', i)) {
      const m = /^```([^\s`]+)(\r\n|\n\r|\n|\r)?/.exec(input.slice(i))
      if (m && m[2] !== undefined) open('PreCode', m[0].length, m[1])
      else open('Pre', 3)
    } else if (c === '`') open('Code', 1)
    else if (RESERVED.includes(c)) throw parseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`)
    else {
      text += c
      i++
    }
  }
  const unclosed = stack.at(-1)
  if (unclosed) throw parseError(`Can't find end of ${unclosed.kind} entity at byte offset ${unclosed.at}`)
  closeQuote()
  return { text, entities: sortEntities(entities) }
}

function closes(kind: Kind, input: string, i: number): boolean {
  const c = input[i]
  switch (kind) {
    case 'Bold':
      return c === '*'
    case 'Italic':
      return c === '_' && input[i + 1] !== '_'
    case 'Underline':
      return c === '_' && input[i + 1] === '_'
    case 'Strikethrough':
      return c === '~'
    case 'Spoiler':
      return c === '|' && input[i + 1] === '|'
    case 'Code':
      return c === '`'
    case 'Pre':
    case 'PreCode':
      return input.startsWith('```', i)
    case 'TextUrl':
      return c === ']'
    default:
      return false
  }
}

function findUrlEnd(input: string, from: number): number {
  for (let j = from; j < input.length; j++) {
    if (input[j] === '\\') j++
    else if (input[j] === ')') return j
  }
  return -1
}

/** Telegram drops links whose URL is not a plausible http(s)/tg URL. */
export function normalizeUrl(url: string): string | undefined {
  const trimmed = url.trim()
  if (trimmed === '') return undefined
  if (/^(https?|tg|ftp):\/\//i.test(trimmed)) return trimmed
  if (/^[\w-]+(\.[\w-]+)+([/?#].*)?$/.test(trimmed)) return `http://${trimmed}${/[/?#]/.test(trimmed) ? '' : '/'}`
  return undefined
}
