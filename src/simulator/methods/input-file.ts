import { badRequest } from '../api-error.js'
import type { FileKind, FileRecord } from '../files.js'
import type { UploadedPart } from '../params.js'
import type { CallContext } from './context.js'

/**
 * Resolves an InputFile parameter: a multipart part (direct or `attach://name`) is an upload;
 * a string is a file_id that must belong to this bot. URLs cannot be fetched in the simulator.
 */
export function resolveInputFile(ctx: CallContext, value: unknown, kind: FileKind, name: string = kind): FileRecord {
  const { params } = ctx
  if (value === undefined || value === null || value === '') {
    const direct = params.filePart(name)
    if (direct) return upload(ctx, direct, kind)
    throw badRequest(`there is no ${name} in the request`)
  }
  if (typeof value !== 'string') throw badRequest(`wrong file identifier/HTTP URL specified`)
  if (value.startsWith('attach://')) {
    const part = params.part(value.slice('attach://'.length))
    if (!part) throw badRequest(`wrong file identifier/HTTP URL specified`)
    return upload(ctx, part, kind)
  }
  if (/^https?:\/\//i.test(value)) throw badRequest('failed to get HTTP URL content')
  const record = ctx.world.files.resolve(ctx.bot.id, value)
  if ((record.kind === 'photo') !== (kind === 'photo')) throw badRequest('type of file mismatch')
  return record
}

function upload(ctx: CallContext, part: UploadedPart, kind: FileKind): FileRecord {
  const { world, bot } = ctx
  if (part.bytes.length === 0) throw badRequest('file must be non-empty')
  const record = world.files.add(part.bytes, { kind, mimeType: part.mimeType, fileName: part.fileName })
  world.stats.uploads[bot.id] = (world.stats.uploads[bot.id] ?? 0) + 1
  world.files.fileIdFor(bot.id, record.uniqueId)
  return record
}
