// What a Telegram message carries, read the same way where it arrives (the bots store its kind)
// and where it is copied (delivery renders it): a neutral module both layers may import.
import type { Message, MessageEntity } from 'grammy/types'

/** Largest file a bot may download from the cloud Bot API. */
export const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024

export type MediaKind = 'photo' | 'video' | 'animation' | 'audio' | 'voice' | 'video_note' | 'document' | 'sticker'

export interface FileRef {
  fileId: string
  fileUniqueId: string
  fileName?: string
  fileSize?: number
}

/** A message's content, independent of the bot that will post it. */
export type Content =
  | { kind: 'text'; text: string; entities?: MessageEntity[] }
  | { kind: MediaKind; file: FileRef; caption?: string; captionEntities?: MessageEntity[]; extra?: Record<string, unknown> }
  | { kind: 'location'; params: { latitude: number; longitude: number }; live?: LiveLocation }
  | { kind: 'venue'; params: { latitude: number; longitude: number; title: string; address: string } }
  | { kind: 'contact'; params: { phone_number: string; first_name: string; last_name?: string } }
  | { kind: 'poll'; params: { question: string; options: string[] } }
  | { kind: 'placeholder'; text: string }

/** live_period of a live location that never stops (Bot API sendLocation). */
export const LIVE_FOREVER = 0x7fffffff

/** A live location still moving: until when (unix seconds; absent: for ever), and its heading. */
export interface LiveLocation {
  until?: number
  heading?: number
}

export const captionlessKinds = new Set(['video_note', 'sticker', 'location', 'venue', 'contact', 'poll'])

/** Reads what a stored Telegram message carries. Anything that cannot be relayed becomes a placeholder. */
export function contentOf(message: Message): Content {
  const caption = message.caption
  const captionEntities = message.caption_entities
  if (message.text !== undefined) return { kind: 'text', text: message.text, entities: message.entities }
  if (message.photo?.length) {
    const largest = message.photo[message.photo.length - 1]!
    return { kind: 'photo', file: fileRef(largest), caption, captionEntities }
  }
  const media: Array<[MediaKind, { file_id: string; file_unique_id: string; file_size?: number; file_name?: string } | undefined]> = [
    ['animation', message.animation],
    ['video', message.video],
    ['audio', message.audio],
    ['voice', message.voice],
    ['video_note', message.video_note],
    ['document', message.document],
    ['sticker', message.sticker],
  ]
  for (const [kind, file] of media) {
    if (!file) continue
    if ((file.file_size ?? 0) > DOWNLOAD_LIMIT_BYTES) {
      return {
        kind: 'placeholder',
        text: `📎 A ${kindLabel(kind)} of ${(file.file_size! / 1048576).toFixed(1)} MB arrived: too large for a bot to relay (20 MB). Ask for a smaller file or a link.`,
      }
    }
    return { kind, file: fileRef(file), caption, captionEntities }
  }
  if (message.venue) {
    const { location, title, address } = message.venue
    return { kind: 'venue', params: { latitude: location.latitude, longitude: location.longitude, title, address } }
  }
  if (message.location) {
    const { latitude, longitude, live_period: period, heading } = message.location
    // The Bot API shows live_period only while a live location is active.
    const live = period ? { ...(period === LIVE_FOREVER ? {} : { until: message.date + period }), ...(heading ? { heading } : {}) } : undefined
    return { kind: 'location', params: { latitude, longitude }, ...(live ? { live } : {}) }
  }
  if (message.contact) {
    const { phone_number, first_name, last_name } = message.contact
    return { kind: 'contact', params: { phone_number, first_name, ...(last_name ? { last_name } : {}) } }
  }
  if (message.poll) return { kind: 'poll', params: { question: message.poll.question, options: message.poll.options.map((o) => o.text) } }
  // A re-sent dice would roll a new value; show the value that was rolled instead.
  if (message.dice) return { kind: 'text', text: `${message.dice.emoji} rolled ${message.dice.value}` }
  return { kind: 'placeholder', text: `📎 ${describeUnsupported(message)} arrived; it cannot be relayed. Ask the client to send it another way.` }
}

function fileRef(file: { file_id: string; file_unique_id: string; file_size?: number; file_name?: string }): FileRef {
  return { fileId: file.file_id, fileUniqueId: file.file_unique_id, fileSize: file.file_size, fileName: file.file_name }
}

export function kindLabel(kind: string): string {
  return kind === 'video_note' ? 'video message' : kind
}

function describeUnsupported(message: Message): string {
  const m = message as unknown as Record<string, unknown>
  if (m.paid_media) return 'Paid media'
  if (m.story) return 'A story'
  if (m.game) return 'A game'
  if (m.invoice) return 'An invoice'
  if (m.giveaway) return 'A giveaway'
  return 'A message of an unsupported kind'
}

/** Short kind name stored on the message row. */
export function messageKind(message: Message): string {
  const content = contentOf(message)
  if (message.dice) return 'dice'
  return content.kind
}

/** The file a sent message carries, to cache the destination bot's file_id. */
export function sentFile(message: Message): FileRef | undefined {
  const content = contentOf(message)
  return 'file' in content ? content.file : undefined
}
