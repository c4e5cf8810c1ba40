import type { Clock } from './clock.js'
import type { Update } from 'grammy/types'
import type { UpdateQueue } from './update-queue.js'
import { webhookQueueOf } from './webhook-queues.js'

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
/** Without a success for this long (or ever), one connection only (WebhookActor.cpp: `last_success_time_ + 10 < now`). */
const ACTIVE_MS = 10_000

/**
 * Pushes one bot's updates to its webhook as telegram-bot-api does (tdlib/telegram-bot-api at
 * 01a3679, `WebhookActor.cpp`): the updates of one queue (`webhook-queues.ts`: a chat's messages, a
 * user's callback queries…) one at a time and in order, the next only after a 2xx answer; different
 * queues in parallel, on up to `max_connections` connections (one per queue with an update, at
 * most `max_connections`; one only until a first success and after 10 s without one); only the
 * first 2 × `max_connections` pending updates are looked at (`max_loaded_updates_`). Non-2xx
 * answers and network errors are retried with a growing delay (much shorter than Telegram's, to
 * keep tests quick), holding back the rest of their queue meanwhile.
 */
export class WebhookSender {
  config: WebhookConfig | undefined
  private closed = false
  /** Queues with an update being posted or waiting for its retry, each with the send that holds it. */
  private readonly busy = new Map<string, symbol>()
  private posting = 0
  private lastSuccess = Number.NEGATIVE_INFINITY
  private readonly retryDelays = new Map<number, number>()
  private readonly aborts = new Set<AbortController>()
  private readonly retries = new Set<NodeJS.Timeout>()

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
    for (const abort of this.aborts) abort.abort()
    for (const timer of this.retries) clearTimeout(timer)
    this.retries.clear()
    this.busy.clear()
    this.retryDelays.clear()
    this.lastSuccess = Number.NEGATIVE_INFINITY
  }

  close(): void {
    this.closed = true
    this.remove()
  }

  /** Posts the front update of every queue that is free, while connections are. */
  private kick(): void {
    const config = this.config
    if (!config || this.closed) return
    const connections = performance.now() - this.lastSuccess <= ACTIVE_MS ? config.maxConnections : 1
    const seen = new Set<string>()
    for (const update of this.queue.first(2 * config.maxConnections)) {
      if (this.posting >= connections) return
      const key = webhookQueueOf(update) ?? `update:${update.update_id}`
      // Only the front update of a queue may go, and only when none of it is in flight or waiting.
      if (seen.has(key)) continue
      seen.add(key)
      if (!this.busy.has(key)) void this.send(config, update, key)
    }
  }

  private async send(config: WebhookConfig, update: Update, key: string): Promise<void> {
    const held = Symbol(key)
    const release = () => {
      if (this.busy.get(key) === held) this.busy.delete(key)
    }
    this.busy.set(key, held)
    this.posting += 1
    const error = await this.post(config, JSON.stringify(update))
    this.posting -= 1
    if (error === undefined) {
      this.lastSuccess = performance.now()
      this.queue.remove(update.update_id)
      this.retryDelays.delete(update.update_id)
      release()
    } else if (this.config !== config) {
      // Removed or set anew meanwhile: nothing to retry here.
      release()
    } else {
      const delay = this.retryDelays.get(update.update_id) ?? FIRST_RETRY_MS
      this.retryDelays.set(update.update_id, Math.min(delay * 2, MAX_RETRY_MS))
      config.lastErrorDate = this.clock.unix()
      config.lastErrorMessage = error
      this.log(`webhook ${config.url} update ${update.update_id}: ${error}; retry in ${delay} ms`)
      const timer = setTimeout(() => {
        this.retries.delete(timer)
        release()
        this.kick()
      }, delay)
      this.retries.add(timer)
    }
    this.kick()
  }

  /** Returns undefined on a 2xx answer, else the error as getWebhookInfo reports it. */
  private async post(config: WebhookConfig, body: string): Promise<string | undefined> {
    const abort = new AbortController()
    this.aborts.add(abort)
    const timer = setTimeout(() => abort.abort(), ANSWER_TIMEOUT_MS)
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(config.secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': config.secretToken } : {}),
        },
        body,
        signal: abort.signal,
      })
      await res.arrayBuffer().catch(() => undefined)
      return res.ok ? undefined : `Wrong response from the webhook: ${res.status} ${res.statusText}`
    } catch (e) {
      return `Connection failed: ${(e as Error).message}`
    } finally {
      clearTimeout(timer)
      this.aborts.delete(abort)
    }
  }
}
