import type { Message, MessageEntity } from 'grammy/types'
import { contentOf, LIVE_FOREVER, type Content, type LiveLocation } from '../shared/message-content.js'

export {
  captionlessKinds,
  contentOf,
  DOWNLOAD_LIMIT_BYTES,
  kindLabel,
  LIVE_FOREVER,
  messageKind,
  sentFile,
  type Content,
  type FileRef,
  type LiveLocation,
  type MediaKind,
} from '../shared/message-content.js'

/**
 * What one copy shows: the stored original's content, with the copy's variant (a relay policy's
 * rewrite, JSON `{ text, entities }` on the relay link) in place of its text or caption.
 */
export function contentOfCopy(message: { raw: string }, link: { variant?: string | null }): Content {
  const content = contentOf(JSON.parse(message.raw) as Message)
  if (!link.variant) return content
  const variant = JSON.parse(link.variant) as { text: string; entities?: MessageEntity[] }
  if (content.kind === 'text') return { ...content, text: variant.text, entities: variant.entities }
  if ('file' in content) return { ...content, caption: variant.text, captionEntities: variant.entities }
  return content
}

export const TEXT_LIMIT = 4096
export const CAPTION_LIMIT = 1024

/**
 * The live_period a copy sent at `nowSeconds` gets: the original's remaining time (at most a day),
 * so the copy stops when the original does; undefined (a static copy) when under a minute is left.
 */
export function copyLivePeriod(live: LiveLocation, nowSeconds: number): number | undefined {
  if (live.until === undefined) return LIVE_FOREVER
  const left = live.until - nowSeconds
  return left < 60 ? undefined : Math.min(86400, left)
}

/** Prepends a bold header line ("Alice · CS") to a text or caption, shifting entity offsets. */
export function withHeader(header: string | undefined, text: string | undefined, entities: MessageEntity[] | undefined): { text: string; entities: MessageEntity[] } {
  if (!header) return { text: text ?? '', entities: entities ?? [] }
  const prefix = text ? `${header}\n` : header
  const shifted = (entities ?? []).map((e) => ({ ...e, offset: e.offset + prefix.length }))
  return { text: prefix + (text ?? ''), entities: [{ type: 'bold', offset: 0, length: header.length }, ...shifted] }
}

/**
 * Splits a long text at paragraph, line or word boundaries into parts of at most `limit`
 * UTF-16 units, keeping each entity within the part it starts in (clipped at the boundary).
 */
export function splitText(text: string, entities: MessageEntity[], limit = TEXT_LIMIT): Array<{ text: string; entities: MessageEntity[] }> {
  const parts: Array<{ text: string; entities: MessageEntity[] }> = []
  let start = 0
  while (start < text.length) {
    let end = Math.min(text.length, start + limit)
    if (end < text.length) {
      const window = text.slice(start, end)
      for (const separator of ['\n\n', '\n', ' ']) {
        const at = window.lastIndexOf(separator)
        if (at > limit / 2) {
          end = start + at + separator.length
          break
        }
      }
      // never cut a surrogate pair in half
      if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1
    }
    parts.push({ text: text.slice(start, end), entities: entitiesWithin(entities, start, end) })
    start = end
  }
  return parts
}

/** The entities of `text.slice(start, end)`, clipped at its edges and shifted to its start. */
function entitiesWithin(entities: MessageEntity[], start: number, end: number): MessageEntity[] {
  return entities
    .filter((e) => e.offset < end && e.offset + e.length > start)
    .map((e) => {
      const from = Math.max(e.offset, start)
      const to = Math.min(e.offset + e.length, end)
      return { ...e, offset: from - start, length: to - from }
    })
}

/**
 * A caption Telegram would refuse ("message caption is too long"): the media keeps the first
 * part (cut at a paragraph, line or word boundary), the rest follows as text.
 */
export function splitCaption(
  text: string,
  entities: MessageEntity[],
): { caption: { text: string; entities: MessageEntity[] }; rest?: { text: string; entities: MessageEntity[] } } {
  if (text.length <= CAPTION_LIMIT) return { caption: { text, entities } }
  const [first] = splitText(text, entities, CAPTION_LIMIT)
  const cut = first!.text.length
  return { caption: first!, rest: { text: text.slice(cut), entities: entitiesWithin(entities, cut, text.length) } }
}
