import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { badRequest, E } from './api-error.js'

export type FileKind = 'photo' | 'video' | 'animation' | 'audio' | 'voice' | 'video_note' | 'document' | 'sticker'

export interface FileRecord {
  uniqueId: string
  bytes: Buffer
  /** Reported size; may pretend to be larger than `bytes` to exercise the 20 MB download limit. */
  size: number
  kind: FileKind
  mimeType?: string
  fileName?: string
}

const DOWNLOAD_LIMIT = 20 * 1024 * 1024
const DIRS: Record<FileKind, string> = {
  photo: 'photos',
  video: 'videos',
  animation: 'animations',
  audio: 'music',
  voice: 'voice',
  video_note: 'video_notes',
  document: 'documents',
  sticker: 'stickers',
}

/**
 * All files in the simulated cloud. A `file_unique_id` names one server-side file object: the same
 * for every bot that sees it, but every upload makes a new object with a new id, even of bytes
 * already known (telegram-facts constraint 2; tdlib FileNode::get_unique_id serialises the remote
 * location). A `file_id` encodes the bot it belongs to, so it is useless to any other bot.
 */
export class FileStore {
  private readonly records = new Map<string, FileRecord>()
  private readonly known = new Map<number, Set<string>>()
  private readonly paths = new Map<string, string>()
  private nextPath = 1
  private nextObject = 1

  /**
   * With a directory, getFile behaves like a local `telegram-bot-api --local` server: it writes
   * the file to disk and returns its absolute path ("getFile returns an absolute local path of
   * the file", tdlib/telegram-bot-api README, --local) instead of a path to download over HTTP.
   */
  constructor(private readonly localDir?: string) {}

  /** A fresh upload: a new file object with a new file_unique_id, whatever the bytes. */
  add(bytes: Buffer, o: { kind: FileKind; mimeType?: string; fileName?: string; size?: number }): FileRecord {
    const uniqueId = `AQAD${createHash('sha256').update(`file object ${this.nextObject++}`).digest('base64url').slice(0, 16)}`
    const record: FileRecord = { uniqueId, bytes, size: o.size ?? bytes.length, kind: o.kind, mimeType: o.mimeType, fileName: o.fileName }
    this.records.set(uniqueId, record)
    return record
  }

  get(uniqueId: string): FileRecord | undefined {
    return this.records.get(uniqueId)
  }

  /** The file_id of a file for one bot; the bot may use it from now on. */
  fileIdFor(botId: number, uniqueId: string): string {
    let set = this.known.get(botId)
    if (!set) this.known.set(botId, (set = new Set()))
    set.add(uniqueId)
    return encodeFileId(botId, uniqueId)
  }

  /** Resolves a file_id sent by a bot; another bot's id, or one the bot never saw, is rejected. */
  resolve(botId: number, fileId: string): FileRecord {
    const decoded = decodeFileId(fileId)
    if (!decoded || decoded.botId !== botId || !this.known.get(botId)?.has(decoded.uniqueId)) throw E.wrongFileId()
    const record = this.records.get(decoded.uniqueId)
    if (!record) throw E.wrongFileId()
    return record
  }

  /** getFile: a download path valid for this bot. */
  getFile(botId: number, fileId: string): Record<string, unknown> {
    const record = this.resolve(botId, fileId)
    // A local server downloads files without a size limit (telegram-bot-api README, --local).
    if (!this.localDir && record.size > DOWNLOAD_LIMIT) throw badRequest('file is too big')
    const ext = extensionOf(record)
    const path = `${DIRS[record.kind]}/file_${this.nextPath++}${ext}`
    if (this.localDir) {
      // The real server keeps files under <dir>/<bot token>/<kind>/; the bot id stands in for the token.
      const absolute = join(this.localDir, String(botId), path)
      mkdirSync(dirname(absolute), { recursive: true })
      writeFileSync(absolute, record.bytes)
      return { file_id: fileId, file_unique_id: record.uniqueId, file_size: record.size, file_path: absolute }
    }
    this.paths.set(`${botId}/${path}`, record.uniqueId)
    return { file_id: fileId, file_unique_id: record.uniqueId, file_size: record.size, file_path: path }
  }

  download(botId: number, path: string): FileRecord | undefined {
    const uniqueId = this.paths.get(`${botId}/${path}`)
    return uniqueId === undefined ? undefined : this.records.get(uniqueId)
  }
}

function encodeFileId(botId: number, uniqueId: string): string {
  return `BQAC${Buffer.from(`sim:${botId}:${uniqueId}`).toString('base64url')}`
}

function decodeFileId(fileId: string): { botId: number; uniqueId: string } | undefined {
  if (!fileId.startsWith('BQAC')) return undefined
  const m = /^sim:(\d+):(AQAD[\w-]+)$/.exec(Buffer.from(fileId.slice(4), 'base64url').toString())
  return m ? { botId: Number(m[1]), uniqueId: m[2] ?? '' } : undefined
}

function extensionOf(record: FileRecord): string {
  const fromName = /\.[a-zA-Z0-9]{1,5}$/.exec(record.fileName ?? '')?.[0]
  if (fromName) return fromName
  const byKind: Record<FileKind, string> = {
    photo: '.jpg',
    video: '.mp4',
    animation: '.mp4',
    audio: '.mp3',
    voice: '.oga',
    video_note: '.mp4',
    document: '',
    sticker: '.webp',
  }
  return byKind[record.kind]
}
