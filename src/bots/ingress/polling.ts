import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from '@grammyjs/runner'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import type { Database } from '../../db/client.js'
import type { Logger } from '../../logger.js'
import type { BotContext } from '../shared/context.js'
import { NamedLock } from '../../db/named-lock.js'
import { storeUpdates } from '../../db/repositories/updates.js'
import { redriveUnhandled } from './redrive.js'
import { storedAsNew } from './handle-stored-update.js'

export interface PollingOptions {
  db: Database
  databaseUrl: string
  projectId: number
  botId: number
  allowedUpdates: readonly string[]
  timeoutSeconds: number
  logger: Logger
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })

/**
 * Long polling that never loses an update: each batch is stored before the next getUpdates
 * call confirms it (the runner's own fetcher confirms before processing). One process per bot
 * polls, guarded by a named lock; updates left unhandled by a crash are handled first.
 */
export class PollingIngress {
  private readonly abort = new AbortController()
  private runner?: RunnerHandle
  private loop?: Promise<void>
  private readonly lock: NamedLock
  /** Polling (holds the lock), standing by for another instance's lock, or not running. */
  state: 'starting' | 'polling' | 'standby' | 'failing' | 'stopped' = 'starting'

  constructor(
    private readonly bot: Bot<BotContext>,
    private readonly options: PollingOptions,
  ) {
    this.lock = new NamedLock(options.databaseUrl, `topicdesk:poll:${options.botId}`)
  }

  start(): void {
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.abort.abort()
    if (this.runner?.isRunning()) await this.runner.stop()
    await this.loop
    await this.lock.release()
    this.state = 'stopped'
  }

  private async run(): Promise<void> {
    const log = this.options.logger.child({ botId: this.options.botId })
    let waiting = false
    while (!this.abort.signal.aborted) {
      if (!(await this.lock.tryAcquire())) {
        if (!waiting) log.info('another instance polls this bot; waiting for its lock')
        waiting = true
        this.state = 'standby'
        await sleep(2000, this.abort.signal)
        continue
      }
      waiting = false
      try {
        await this.bot.api.deleteWebhook()
        await this.redrive(0)
        this.runner = createRunner(createSource({ supply: (size, signal) => this.fetch(size, signal as unknown as AbortSignal) }), this.sink())
        this.runner.start()
        this.state = 'polling'
        while (this.runner.isRunning() && !this.abort.signal.aborted) {
          await sleep(5000, this.abort.signal)
          if (!(await this.lock.stillHeld())) {
            log.warn('lost the polling lock (database restarted?); stopping until it is regained')
            break
          }
          await this.redrive(30_000)
        }
      } catch (error) {
        this.state = 'failing'
        log.error({ err: error }, 'polling stopped with an error; restarting')
        await sleep(2000, this.abort.signal)
      } finally {
        if (this.runner?.isRunning()) await this.runner.stop()
        await this.lock.release()
      }
    }
  }

  private offset = 0

  /** One getUpdates call; the batch is stored before it is returned (and so before it is confirmed). */
  private async fetch(size: number, signal: AbortSignal): Promise<Update[]> {
    const { db, projectId, botId, timeoutSeconds, allowedUpdates } = this.options
    const batch = await this.bot.api.getUpdates(
      { offset: this.offset, limit: Math.max(1, Math.min(size, 100)), timeout: timeoutSeconds, allowed_updates: allowedUpdates as never },
      signal as never,
    )
    for (let attempt = 0; ; attempt++) {
      try {
        storedAsNew(batch, await storeUpdates(db, projectId, botId, batch))
        break
      } catch (error) {
        // Not confirmed yet: Telegram keeps the batch; retry storing until the database is back.
        this.options.logger.warn({ err: error, botId, attempt }, 'could not store updates; retrying')
        if (signal.aborted) throw error
        await sleep(Math.min(5000, 200 * 2 ** attempt), signal)
      }
    }
    const last = batch[batch.length - 1]
    if (last) this.offset = last.update_id + 1
    return batch
  }

  private sink() {
    return createConcurrentSink<Update>(
      { consume: (update) => this.bot.handleUpdate(update) },
      async (error) => {
        await Promise.resolve(this.bot.errorHandler(error as never)).catch((e) => this.options.logger.error({ err: e }, 'bot error handler failed'))
      },
      { concurrency: 64 },
    )
  }

  private redrive(olderThanMs: number): Promise<void> {
    return redriveUnhandled(this.bot, this.options.db, this.options.botId, this.options.logger, olderThanMs)
  }
}

// The handling of a stored update is shared with webhook ingress and the redrive; re-exported for old importers.
export { handleStoredUpdate, storedAsNew, type UpdateOutcome } from './handle-stored-update.js'
