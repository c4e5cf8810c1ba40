import { Api } from 'grammy'

/**
 * The outbox's own Bot API clients, one per bot id. No auto-retry here: failures go back to
 * the outbox, which reschedules the row instead of sleeping inside a worker.
 */
export class TelegramGateway {
  private readonly apis = new Map<number, { api: Api; token: string }>()

  constructor(private readonly apiRoot: string) {}

  register(botId: number, token: string): void {
    this.apis.set(botId, { api: new Api(token, { apiRoot: this.apiRoot, timeoutSeconds: 30 }), token })
  }

  api(botId: number): Api {
    const entry = this.apis.get(botId)
    if (!entry) throw new Error(`No bot with id ${botId} is configured`)
    return entry.api
  }

  /** Downloads a file the given bot can see (getFile, then the file URL). */
  async download(botId: number, fileId: string): Promise<Buffer> {
    const entry = this.apis.get(botId)
    if (!entry) throw new Error(`No bot with id ${botId} is configured`)
    const file = await entry.api.getFile(fileId)
    if (!file.file_path) throw new Error(`getFile returned no file_path for ${fileId}`)
    const response = await fetch(`${this.apiRoot}/file/bot${entry.token}/${file.file_path}`)
    if (!response.ok) throw new Error(`File download failed with HTTP ${response.status}`)
    return Buffer.from(await response.arrayBuffer())
  }
}
