import type { MessageEntity } from 'grammy/types'
import { badRequest, E } from '../api-error.js'
import { detectEntities } from './detect.js'
import { parseHtml, sortEntities } from './html.js'
import { parseMarkdown } from './markdown.js'
import { parseMarkdownV2 } from './markdown-v2.js'

export interface FormattedText {
  text: string
  entities: MessageEntity[]
}

/** Applies parse_mode (or explicit entities), then Telegram's own entity detection. */
export function formatText(raw: string, parseMode: string | undefined, explicit: MessageEntity[] | undefined): FormattedText {
  let parsed: FormattedText
  if (explicit && explicit.length > 0) parsed = { text: raw, entities: explicit }
  else if (!parseMode) parsed = { text: raw, entities: [] }
  else {
    const mode = parseMode.toLowerCase()
    if (mode === 'html') parsed = parseHtml(raw)
    else if (mode === 'markdownv2') parsed = parseMarkdownV2(raw)
    else if (mode === 'markdown') parsed = parseMarkdown(raw)
    else throw badRequest(`unsupported parse_mode`)
  }
  for (const e of parsed.entities) {
    if (e.offset < 0 || e.length <= 0 || e.offset + e.length > parsed.text.length) {
      throw badRequest("can't parse entities: entity beyond the end of the text")
    }
  }
  return { text: parsed.text, entities: sortEntities([...parsed.entities, ...detectEntities(parsed.text, parsed.entities)]) }
}

/** Message text: 1–4096 characters after entity parsing. */
export function formatMessageText(raw: string | undefined, parseMode: string | undefined, explicit: MessageEntity[] | undefined): FormattedText {
  if (raw === undefined || raw.trim() === '') throw E.textEmpty()
  const formatted = formatText(raw, parseMode, explicit)
  if (formatted.text.trim() === '') throw E.textEmpty()
  if (formatted.text.length > 4096) throw E.textTooLong()
  return formatted
}

/** Media caption: 0–1024 characters after entity parsing; undefined when absent. */
export function formatCaption(raw: string | undefined, parseMode: string | undefined, explicit: MessageEntity[] | undefined): FormattedText | undefined {
  if (raw === undefined || raw === '') return undefined
  const formatted = formatText(raw, parseMode, explicit)
  if (formatted.text.length > 1024) throw E.captionTooLong()
  return formatted.text === '' ? undefined : formatted
}
