import type { Clock } from './clock.js'
import type { UpdateQueue } from './update-queue.js'

export interface WebhookConfig {
  url: string
  secretToken?: string
  maxConnections: number
  lastErrorDate?: number
  lastErrorMessage?: string
}

const FIRST_RETRY_MS = 100
const MAX_RETRY_MS = 2000
const ANSWER_TIMEOUT_MS = 60_000

/**
 * Pushes one bot's updates to its webhook, one at a time and in order, retrying non-2xx answers and
 * network errors with a growing delay (much shorter than Telegram's, to keep tests quick).
 */
export class WebhookSender {
  config: WebhookConfig | undefined
  private running = false
  private closed = false
  private abort: AbortController | undefined
  private wakeSleep: (() => void) | undefined

  constructor(
    private readonly queue: UpdateQueue,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {}

  set(config: WebhookConfig): void {
    this.config = config
    this.queue.onPush = () => this.kick()
    this.kick()
  }

  remove(): void {
    this.config = undefined
    this.queue.onPush = undefined
    this.abort?.abort()
    this.wakeSleep?.()
  }

  close(): void {
    this.closed = true
    this.remove()
  }

  private kick(): void {
    if (!this.running && this.config && this.queue.peek()) void this.loop()
  }

  private async loop(): Promise<void> {
    this.running = true
    let delay = FIRST_RETRY_MS
    try {
      for (;;) {
        const config = this.config
        const update = this.queue.peek()
        if (!config || !update || this.closed) break
        const error = await this.post(config, JSON.stringify(update))
        if (error === undefined) {
          if (this.queue.peek() === update) this.queue.shift()
          delay = FIRST_RETRY_MS
          continue
        }
        config.lastErrorDate = this.clock.unix()
        config.lastErrorMessage = error
        this.log(`webhook ${config.url} update ${update.update_id}: ${error}; retry in ${delay} ms`)
        await this.sleep(delay)
        delay = Math.min(delay * 2, MAX_RETRY_MS)
      }
    } finally {
      this.running = false
    }
  }

  /** Returns undefined on a 2xx answer, else the error as getWebhookInfo reports it. */
  private async post(config: WebhookConfig, body: string): Promise<string | undefined> {
    this.abort = new AbortController()
    const timer = setTimeout(() => this.abort?.abort(), ANSWER_TIMEOUT_MS)
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(config.secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': config.secretToken } : {}),
        },
        body,
        signal: this.abort.signal,
      })
      await res.arrayBuffer().catch(() => undefined)
      return res.ok ? undefined : `Wrong response from the webhook: ${res.status} ${res.statusText}`
    } catch (e) {
      return `Connection failed: ${(e as Error).message}`
    } finally {
      clearTimeout(timer)
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wakeSleep = done
    })
  }
}
