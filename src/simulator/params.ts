import { badRequest } from './api-error.js'

/** An uploaded multipart file part. */
export interface UploadedPart {
  bytes: Buffer
  fileName?: string
  mimeType?: string
}

/**
 * Method parameters from any wire encoding. JSON bodies carry real types; query strings,
 * urlencoded and multipart bodies carry strings (objects JSON-encoded), so every getter coerces.
 */
export class Params {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly files: Map<string, UploadedPart> = new Map(),
  ) {}

  has(name: string): boolean {
    const v = this.values[name]
    return v !== undefined && v !== null && v !== ''
  }

  raw(name: string): unknown {
    return this.values[name]
  }

  str(name: string): string | undefined {
    const v = this.values[name]
    if (v === undefined || v === null) return undefined
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    return JSON.stringify(v)
  }

  int(name: string): number | undefined {
    const v = this.values[name]
    if (v === undefined || v === null || v === '') return undefined
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN
    if (!Number.isSafeInteger(n)) throw badRequest(`invalid ${name} specified`)
    return n
  }

  bool(name: string): boolean {
    const v = this.values[name]
    return v === true || v === 'true' || v === 'True' || v === '1' || v === 1
  }

  /** An object or array parameter; strings are parsed as JSON. */
  json<T>(name: string): T | undefined {
    const v = this.values[name]
    if (v === undefined || v === null || v === '') return undefined
    if (typeof v !== 'string') return v as T
    try {
      return JSON.parse(v) as T
    } catch {
      throw badRequest(`can't parse ${name} JSON object`)
    }
  }

  /** A file sent as a multipart part under this name (direct upload or `attach://name`). */
  /** Bytes of all files uploaded with the call. */
  uploadedBytes(): number {
    let total = 0
    for (const part of this.files.values()) total += part.bytes.length
    return total
  }

  part(name: string): UploadedPart | undefined {
    return this.files.get(name)
  }

  /** The value as a file part when it was uploaded directly under the parameter name. */
  filePart(name: string): UploadedPart | undefined {
    return this.files.get(name)
  }

  /** Plain object view, for logging and fault matching. */
  toObject(): Record<string, unknown> {
    return { ...this.values }
  }
}
