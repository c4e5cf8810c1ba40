import type { FormattedText } from './entities/format.js'
import type { FileKind, FileRecord } from './files.js'
import type { MessageKind } from './types.js'
import type { Wire } from './world.js'

const CONTENT_KEYS: MessageKind[] = ['text', 'animation', 'photo', 'video', 'audio', 'voice', 'video_note', 'document', 'sticker', 'venue', 'location', 'contact', 'poll', 'dice']
export const CAPTIONED: ReadonlySet<string> = new Set(['photo', 'video', 'animation', 'audio', 'voice', 'document'])

/** Wire fields of a file-bearing message; file_id is filled in per bot when rendered. */
export function fileContent(kind: FileKind, record: FileRecord, o: { emoji?: string; duration?: number } = {}): Wire {
  const base = { file_id: '', file_unique_id: record.uniqueId, file_size: record.size }
  const named = { ...(record.fileName ? { file_name: record.fileName } : {}), ...(record.mimeType ? { mime_type: record.mimeType } : {}) }
  const duration = o.duration ?? 5
  switch (kind) {
    case 'photo':
      return { photo: [{ ...base, width: 1280, height: 960 }] }
    case 'video':
      return { video: { ...base, width: 1280, height: 720, duration, ...named } }
    case 'animation': {
      const animation = { ...base, width: 480, height: 270, duration, ...named }
      // Telegram mirrors an animation as a document for old clients.
      return { animation, document: { ...base, ...named } }
    }
    case 'audio':
      return { audio: { ...base, duration, ...named } }
    case 'voice':
      return { voice: { ...base, duration, mime_type: record.mimeType ?? 'audio/ogg' } }
    case 'video_note':
      return { video_note: { ...base, length: 240, duration } }
    case 'document':
      return { document: { ...base, ...named } }
    case 'sticker':
      return { sticker: { ...base, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: o.emoji ?? '🙂' } }
  }
}

export function withCaption(content: Wire, caption: FormattedText | undefined): Wire {
  if (!caption) return content
  return { ...content, caption: caption.text, ...(caption.entities.length ? { caption_entities: caption.entities } : {}) }
}

export function withText(text: FormattedText): Wire {
  return { text: text.text, ...(text.entities.length ? { entities: text.entities } : {}) }
}

export function kindOf(wire: Wire): MessageKind {
  for (const key of CONTENT_KEYS) if (wire[key] !== undefined) return key
  return 'service'
}

/** The main file of a message (largest photo size for photos). */
export function fileOf(wire: Wire): Wire | undefined {
  const kind = kindOf(wire)
  if (kind === 'photo') return (wire.photo as Wire[]).at(-1)
  const file = wire[kind] as Wire | undefined
  return file && typeof file === 'object' && 'file_unique_id' in file ? file : undefined
}

/** The fields of a message that make up its content (what copyMessage carries over). */
export function contentFields(wire: Wire): Wire {
  const out: Wire = {}
  for (const key of [...CONTENT_KEYS, 'entities', 'caption', 'caption_entities', 'show_caption_above_media', 'has_media_spoiler']) {
    if (wire[key] !== undefined) out[key] = structuredClone(wire[key])
  }
  return out
}

export const DICE_RANGES: Record<string, number> = { '🎲': 6, '🎯': 6, '🎳': 6, '🏀': 5, '⚽': 5, '🎰': 64 }
