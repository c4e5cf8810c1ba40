import type { MessageEntity } from 'grammy/types'
import { DICE_RANGES, fileContent } from './content.js'
import { detectEntities } from './entities/detect.js'
import { sortEntities } from './entities/html.js'
import type { FileKind, FileRecord } from './files.js'
import type { FileSpec, UserContent } from './types.js'
import type { Wire, World } from './world.js'

const FILE_KINDS: FileKind[] = ['photo', 'video', 'animation', 'audio', 'voice', 'video_note', 'document', 'sticker']
const DEFAULT_MIME: Partial<Record<FileKind, string>> = {
  video: 'video/mp4',
  animation: 'video/mp4',
  audio: 'audio/mpeg',
  voice: 'audio/ogg',
  document: 'application/octet-stream',
}

/** The text and entities of something a person typed (Telegram adds the entities it detects). */
export function typedText(text: string, entities: MessageEntity[] = []): Wire {
  const all = sortEntities([...entities, ...detectEntities(text, entities)])
  return { text, ...(all.length ? { entities: all } : {}) }
}

/** A file the user re-sends from their chats: the same object, so the same file_unique_id (telegram-facts constraint 2). */
function existingFile(world: World, uniqueId: string, kind: FileKind): FileRecord {
  const record = world.files.get(uniqueId)
  if (!record) throw new Error(`simulator: no file ${uniqueId} to re-send`)
  if ((record.kind === 'photo') !== (kind === 'photo')) throw new Error(`simulator: file ${uniqueId} is a ${record.kind}, not a ${kind}`)
  return record
}

/** Wire content for what a person sends; files are stored in the simulated cloud. */
export function userContent(world: World, content: UserContent): Wire {
  if ('text' in content) {
    if (content.text.trim() === '' || content.text.length > 4096) throw new Error('simulator: a user message must have 1-4096 characters')
    return typedText(content.text, content.entities)
  }
  for (const kind of FILE_KINDS) {
    if (!(kind in content)) continue
    const spec = (content as Record<string, FileSpec & { emoji?: string }>)[kind] as FileSpec & { emoji?: string }
    const record =
      spec.fileUniqueId !== undefined
        ? existingFile(world, spec.fileUniqueId, kind)
        : world.files.add(spec.bytes ?? world.prng.bytes(1024), {
            kind,
            mimeType: spec.mimeType ?? DEFAULT_MIME[kind],
            fileName: spec.fileName,
            size: spec.size,
          })
    const wire = fileContent(kind, record, { emoji: spec.emoji })
    const caption = (content as { caption?: string }).caption
    if (caption) {
      const entities = detectEntities(caption, [])
      Object.assign(wire, { caption, ...(entities.length ? { caption_entities: entities } : {}) })
    }
    return wire
  }
  if ('location' in content) return { location: { ...content.location } }
  if ('venue' in content) {
    const { latitude, longitude, title, address } = content.venue
    return { venue: { location: { latitude, longitude }, title, address }, location: { latitude, longitude } }
  }
  if ('contact' in content) return { contact: { ...content.contact } }
  if ('poll' in content) {
    return {
      poll: {
        id: String(world.prng.int(1e9, 9e9)),
        question: content.poll.question,
        options: content.poll.options.map((text) => ({ text, voter_count: 0 })),
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
      },
    }
  }
  if (!('dice' in content)) throw new Error('simulator: unknown content')
  const emoji = content.dice.emoji ?? '🎲'
  return { dice: { emoji, value: world.prng.int(1, DICE_RANGES[emoji] ?? 6) } }
}
