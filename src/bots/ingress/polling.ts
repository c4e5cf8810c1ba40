import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from '@grammyjs/runner'
import type { Bot, Composer, MiddlewareFn } from 'grammy'
import type { Update, UserFromGetMe } from 'grammy/types'
import type { Database } from '../../db/client.js'
import type { Logger } from '../../logger.js'
import type { BotContext } from '../shared/context.js'
import { NamedLock } from '../../db/named-lock.js'
import { isTransientDbError, retryTransient } from '../../db/errors.js'
import { HandledMarks, recordHandlingFailure, storeUpdates, updateState } from '../../db/repositories/updates.js'
import type { DbOrTx } from '../../db/client.js'
import { redriveUnhandled } from './redrive.js'
import type { BotHealth } from '../bot-health.js'

export interface PollingOptions {
  db: Database
  databaseUrl: string
  projectId: number
  botId: number
  allowedUpdates: readonly string[]
  timeoutSeconds: number
  logger: Logger
  /** Told of each failed attempt to receive updates and of the first batch after. */
  health?: Pick<BotHealth, 'failed' | 'recovered'>
  /** The bot's token was refused at start-up (already reported): wait one backoff before trying. */
  startFailing?: boolean
  /** Called once the bot knows itself (getMe succeeded), for a bot that started without. */
  onInit?: (me: UserFromGetMe) => void
  /** Backoff between attempts after a failure: doubles from `firstMs` up to `maxMs`. */
  backoff?: { firstMs: number; maxMs: number }
}

const DEFAULT_BACKOFF = { firstMs: 1000, maxMs: 60_000 }

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

  get botId(): number {
    return this.options.botId
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

  /** Failed attempts since the bot last received a batch. */
  private failures = 0
  /** A getUpdates succeeded since the last failure. */
  private receiving = false

  private async run(): Promise<void> {
    const log = this.options.logger.child({ botId: this.options.botId })
    const signal = this.abort.signal
    let waiting = false
    if (this.options.startFailing) {
      this.failures = 1
      this.state = 'failing'
      await sleep(this.backoffMs(), signal)
    }
    while (!signal.aborted) {
      if (!(await this.lock.tryAcquire())) {
        if (!waiting) log.info('another instance polls this bot; waiting for its lock')
        waiting = true
        // Its health is the other instance's to report now.
        if (this.failures > 0) this.options.health?.recovered(this.options.botId)
        this.failures = 0
        this.state = 'standby'
        await sleep(2000, signal)
        continue
      }
      waiting = false
      let pause = 0
      try {
        if (!this.bot.isInited()) {
          await this.bot.init()
          this.options.onInit?.(this.bot.botInfo)
        }
        await this.bot.api.deleteWebhook()
        await this.redrive(0)
        this.runner = createRunner(createSource({ supply: (size, signal) => this.fetch(size, signal as unknown as AbortSignal) }), this.sink())
        this.runner.start()
        // The runner's task rejects when a getUpdates fails (401 after a revoked token, 409, a
        // network outage): watched here, or the rejection would be unhandled and end the process.
        let failure: { error: unknown } | undefined
        const ended = (this.runner.task() ?? Promise.resolve()).then(
          () => {},
          (error: unknown) => void (failure = { error }),
        )
        this.state = 'polling'
        while (this.runner.isRunning() && !signal.aborted) {
          await Promise.race([sleep(5000, signal), ended])
          if (failure || !this.runner.isRunning()) break
          if (!(await this.lock.stillHeld())) {
            log.warn('lost the polling lock (database restarted?); stopping until it is regained')
            break
          }
          await this.redrive(30_000)
        }
        if (failure && !signal.aborted) throw failure.error
      } catch (error) {
        if (signal.aborted) break
        this.receiving = false
        this.failures += 1
        this.state = 'failing'
        pause = this.backoffMs()
        if (this.options.health) this.options.health.failed(this.options.botId, error, this.failures, pause)
        else log.error({ err: error, attempt: this.failures }, 'polling stopped with an error; restarting')
      } finally {
        if (this.runner?.isRunning()) await this.runner.stop()
        await this.lock.release()
      }
      // Without the lock meanwhile: another instance may poll the bot (a network cut of this one).
      if (pause > 0) await sleep(pause, signal)
    }
  }

  /** Doubling from the first delay, capped: a bot refused for hours is asked once a minute. */
  private backoffMs(): number {
    const { firstMs, maxMs } = this.options.backoff ?? DEFAULT_BACKOFF
    return Math.min(maxMs, firstMs * 2 ** Math.max(0, this.failures - 1))
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
    if (!this.receiving) {
      // The first batch since start or since a failure (a rebuilt bot may replace a failing one).
      this.receiving = true
      this.failures = 0
      this.options.health?.recovered(this.options.botId)
    }
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

const noop = async () => {}

/**
 * Updates ingress has just stored as new rows (their state is 'received'), so handling them
 * needs no read of their state. Keyed by the update object itself, which grammY hands on as
 * `ctx.update`; a redelivered or redriven update is not in it and has its state read.
 */
const freshlyStored = new WeakSet<Update>()

/** Remembers a stored batch as new when the insert added every one of its rows. */
export function storedAsNew(batch: Update[], inserted: number): void {
  if (inserted === batch.length) for (const update of batch) freshlyStored.add(update)
}

/** One writer of handled marks per database handle, shared by its bots' handlings (see `HandledMarks`). */
const handledMarks = new WeakMap<DbOrTx, HandledMarks>()
function handledMarksOf(db: DbOrTx): HandledMarks {
  let marks = handledMarks.get(db)
  if (!marks) handledMarks.set(db, (marks = new HandledMarks(db)))
  return marks
}

/** What became of an update handed to the handlers (for metrics). */
export type UpdateOutcome = 'received' | 'handled' | 'failed' | 'duplicate'

/**
 * Runs the bot's features for a stored update: skips one handled before (a redelivery), retries
 * the whole handling on a deadlock or a lost connection (later updates of the customer wait, so
 * order holds), then marks it handled (with the marks of the handlings finishing alongside, in
 * one statement) — or leaves it for the redrive and, after a few
 * attempts, parks it as 'failed'.
 */
export function handleStoredUpdate(features: Composer<BotContext>, observe: (botId: number, outcome: UpdateOutcome) => void = () => {}): MiddlewareFn<BotContext> {
  const run = features.middleware()
  return async (ctx) => {
    const { db } = ctx.deps
    const key = { botId: ctx.self.id, updateId: ctx.update.update_id }
    const stateOf = () => updateState(db, key)
    let state = freshlyStored.delete(ctx.update) ? 'received' : await retryTransient(stateOf)
    if (state === undefined) {
      // Ingress normally stored it already; a redrive or a direct call may not have.
      await retryTransient(() => storeUpdates(db, ctx.project.id, ctx.self.id, [ctx.update]))
      state = await retryTransient(stateOf)
    }
    if (state !== 'received') {
      ctx.log.debug({ state }, 'update already handled; ignored')
      observe(ctx.self.id, 'duplicate')
      return
    }
    observe(ctx.self.id, 'received')
    try {
      // Up to ~18 s of retries: long enough to ride out a database restart.
      await retryTransient(async () => {
        await run(ctx, noop)
      }, 6)
      await handledMarksOf(db).mark(key)
      observe(ctx.self.id, 'handled')
    } catch (error) {
      observe(ctx.self.id, 'failed')
      await recordHandlingFailure(db, key, describeFailure(error)).catch((recordError) => ctx.log.warn({ err: recordError }, 'could not record the failed handling of the update'))
      if (isTransientDbError(error)) ctx.log.warn({ err: error }, 'database unavailable while handling; the update will be handled again')
      throw error
    }
  }
}

/** The root cause first (a query error wraps the database's reason), then the stack, for /failed and the log. */
function describeFailure(error: unknown): string {
  let root = error
  for (let depth = 0; depth < 5 && (root as { cause?: unknown })?.cause; depth += 1) root = (root as { cause: unknown }).cause
  const stack = String((error as Error)?.stack ?? error)
  return root === error ? stack : `${String((root as Error)?.message ?? root)}\n${stack}`
}
