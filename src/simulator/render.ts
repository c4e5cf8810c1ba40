import type { Message } from 'grammy/types'
import type { FileStore } from './files.js'
import type { Wire } from './world.js'

/** Pseudo bot id for renderings meant for people (the inspection API). */
export const PERSON_VIEW = 0

/** Deep copy of a wire object with every file_id written for one bot (which may use them from then on). */
export function renderFor(files: FileStore, wire: Wire, botId: number): Message {
  return clone(files, wire, botId) as Message
}

function clone(files: FileStore, value: unknown, botId: number): unknown {
  if (Array.isArray(value)) return value.map((v) => clone(files, v, botId))
  if (value === null || typeof value !== 'object') return value
  const out: Wire = {}
  for (const [k, v] of Object.entries(value)) out[k] = clone(files, v, botId)
  if (typeof out.file_unique_id === 'string' && 'file_id' in out) out.file_id = files.fileIdFor(botId, out.file_unique_id)
  return out
}
