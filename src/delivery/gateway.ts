import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { get as httpGet, type IncomingMessage } from 'node:http'
import { get as httpsGet } from 'node:https'
import { isAbsolute } from 'node:path'
import { Api } from 'grammy'

export interface GatewayOptions {
  /** Timeout of ordinary calls (default 30 s). */
  timeoutSeconds?: number
  /** The slowest upload speed to allow for (default 256 KiB/s): sizes each upload's timeout. */
  uploadBytesPerSecond?: number
}

/** A file's bytes, fetched anew each time it is called (so a retried upload can read it again). */
export type FileSource = () => Promise<AsyncIterable<Uint8Array>>

/**
 * The outbox's own Bot API clients, one per bot id. No auto-retry here: failures go back to
 * the outbox, which reschedules the row instead of sleeping inside a worker.
 */
export class TelegramGateway {
  private readonly apis = new Map<number, { api: Api; token: string }>()
  private readonly timeoutSeconds: number
  private readonly uploadBytesPerSecond: number

  constructor(
    private readonly apiRoot: string,
    options: GatewayOptions = {},
  ) {
    this.timeoutSeconds = options.timeoutSeconds ?? 30
    this.uploadBytesPerSecond = options.uploadBytesPerSecond ?? 256 * 1024
  }

  register(botId: number, token: string): void {
    this.apis.set(botId, { api: new Api(token, { apiRoot: this.apiRoot, timeoutSeconds: this.timeoutSeconds }), token })
  }

  /**
   * The bot's client. With `uploadBytes`, a client whose timeout is sized to the upload (the
   * ordinary timeout plus the time the bytes take at the slowest allowed speed), so a large
   * file is not cut off by the timeout meant for a text.
   */
  api(botId: number, o: { uploadBytes?: number } = {}): Api {
    const entry = this.entry(botId)
    if (!o.uploadBytes) return entry.api
    return new Api(entry.token, { apiRoot: this.apiRoot, timeoutSeconds: this.uploadTimeoutSeconds(o.uploadBytes) })
  }

  uploadTimeoutSeconds(bytes: number): number {
    return Math.ceil(this.timeoutSeconds + bytes / this.uploadBytesPerSecond)
  }

  /**
   * A file the given bot can see, as a source of its bytes: getFile now (so its errors show at
   * once), the file URL streamed when the upload reads it — never held whole in memory.
   * A local `telegram-bot-api --local` server answers with an absolute path on its disk (a
   * volume shared with this service): that file is streamed from disk instead.
   */
  async download(botId: number, fileId: string): Promise<FileSource> {
    const entry = this.entry(botId)
    const file = await entry.api.getFile(fileId)
    if (!file.file_path) throw new Error(`getFile returned no file_path for ${fileId}`)
    const localPath = file.file_path
    if (isAbsolute(localPath)) {
      await access(localPath) // a volume not shared with the server shows here, with the path
      return () => Promise.resolve(chunksOf(createReadStream(localPath)))
    }
    const url = `${this.apiRoot}/file/bot${entry.token}/${file.file_path}`
    return () => streamFile(url)
  }

  private entry(botId: number): { api: Api; token: string } {
    const entry = this.apis.get(botId)
    if (!entry) throw new Error(`No bot with id ${botId} is configured`)
    return entry
  }
}

/**
 * GETs a file as a Node stream: it pauses the socket while the upload is behind, so only a
 * few chunks are in memory at a time (fetch's body reads ahead into its own queue).
 */
function streamFile(url: string): Promise<AsyncIterable<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume()
        reject(new Error(`File download failed with HTTP ${response.statusCode}`))
        return
      }
      // Handed over as a bare iterator: grammY's InputFile takes any object with a `url` (as a response has) for a link.
      resolve(chunksOf(response))
    }
    const request = url.startsWith('https:') ? httpsGet(url, onResponse) : httpGet(url, onResponse)
    request.on('error', reject)
  })
}

async function* chunksOf(stream: AsyncIterable<unknown>): AsyncIterable<Uint8Array> {
  for await (const chunk of stream) yield chunk as Uint8Array
}
