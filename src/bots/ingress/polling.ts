import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from '@grammyjs/runner'
import type { Bot } from 'grammy'
import type { Update, UserFromGetMe } from 'grammy/types'
import type { Database } from '../../db/client.js'
import type { Logger } from '../../logger.js'
import type { BotContext } from '../shared/context.js'
import { storeUpdates } from '../../db/repositories/updates.js'
import { handlingsSettled } from './in-flight.js'
import { redriveUnhandled } from './redrive.js'
import { storedAsNew } from './handle-stored-update.js'
import type { BotHealth } from '../bot-health.js'
import type { InstanceLeases } from './instance-leases.js'
import type { Lease } from './lease.js'

export interface PollingOptions {
  db: Database
  /** The instance's leases: it polls the bot while it holds `poll:<bot id>`. */
  leases: Pick<InstanceLeases, 'want'>
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
 * call confirms it (the runner's own fetcher confirms before processing). One instance per bot
 * polls, the one holding the bot's lease (instance-leases.ts); updates left unhandled by a crash
 * are handled first (later ones by the instance's periodic redrive, app-ingress.ts).
 */
export class PollingIngress {
  private readonly abort = new AbortController()
  private runner?: RunnerHandle
  private loop?: Promise<void>
  private lease?: Lease
  /** Polling (holds the lease), standing by while another instance holds it, or not running. */
  state: 'starting' | 'polling' | 'standby' | 'failing' | 'stopped' = 'starting'

  constructor(
    readonly bot: Bot<BotContext>,
    private readonly options: PollingOptions,
  ) {}

  get botId(): number {
    return this.options.botId
  }

  start(): void {
    this.lease = this.options.leases.want(pollingLeaseName(this.options.botId))
    this.loop = this.run(this.lease)
  }

  async stop(): Promise<void> {
    this.abort.abort()
    if (this.runner?.isRunning()) await this.runner.stop()
    await this.loop
    await this.handlingsSettled()
    await this.lease?.release()
    this.state = 'stopped'
  }

  /** Failed attempts since the bot last received a batch. */
  private failures = 0
  /** A getUpdates succeeded since the last failure. */
  private receiving = false

  private async run(lease: Lease): Promise<void> {
    const log = this.options.logger.child({ botId: this.options.botId })
    const signal = this.abort.signal
    let waiting = false
    if (this.options.startFailing) {
      this.failures = 1
      this.state = 'failing'
      await sleep(this.backoffMs(), signal)
    }
    // A bot polled anew (a new token) does not wait for the next heartbeat; at start-up the first heartbeat decides.
    await lease.acquire()
    while (!signal.aborted) {
      if (!lease.held) {
        // Not polling here any more (the runner stopped, its handlings settled): a lease asked for by another instance is theirs now.
        lease.handOver()
        // Per bot, so at debug level (the registry logs leases lost or taken once for all); at start-up every bot waits for the first heartbeat.
        if (!waiting && this.state !== 'starting') log.debug('another instance polls this bot; waiting for its lease')
        waiting = true
        // Its health is the other instance's to report now.
        if (this.failures > 0) this.options.health?.recovered(this.options.botId)
        this.failures = 0
        this.state = 'standby'
        await lease.changed(signal)
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
        // Lost meanwhile (a slow start): not one getUpdates without it.
        if (!lease.held) continue
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
        // Until the runner fails or the lease is lost (another instance took it, or it could not be renewed in time).
        while (lease.held && this.runner.isRunning() && !signal.aborted && !failure) await Promise.race([lease.changed(signal), ended])
        if (!lease.held && !signal.aborted) {
          // The registry logs the loss once for all its bots.
          log.debug('lost the polling lease; stopped polling until it is regained')
          this.state = 'standby'
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
        // The runner's stop does not wait for its handlers: they finish before another instance may take the bot up.
        await this.handlingsSettled()
        // Without the lease meanwhile: another instance may poll the bot (a network cut of this one).
        if (pause > 0) await lease.release()
      }
      if (pause > 0) {
        await sleep(pause, signal)
        if (signal.aborted) break
        this.lease = lease = this.options.leases.want(pollingLeaseName(this.options.botId))
        // Asked now, so the bot is not taken for another instance's (standby) before the heartbeat.
        await lease.acquire()
      }
    }
  }

  /** Waits (bounded) for this bot's handlings still running here. */
  private async handlingsSettled(): Promise<void> {
    if (!(await handlingsSettled(this.options.db, this.options.botId, HANDLINGS_SETTLE_MS)))
      this.options.logger.warn({ botId: this.options.botId }, `handlings still running after ${HANDLINGS_SETTLE_MS / 1000} s; letting the bot go all the same`)
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
    if (last) {
      this.offset = last.update_id + 1
      this.options.logger.debug({ botId, count: batch.length, lastUpdateId: last.update_id }, 'updates stored')
    }
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

/** The leases an instance holds while it polls a bot: `poll:<bot id>`. */
export const POLLING_LEASE_PREFIX = 'poll:'
export const pollingLeaseName = (botId: number): string => `${POLLING_LEASE_PREFIX}${botId}`

// The handling of a stored update is shared with webhook ingress and the redrive; re-exported for old importers.
export { handleStoredUpdate, storedAsNew, type UpdateOutcome } from './handle-stored-update.js'

/** How long a stopping poller waits for its handlings (a handling retries a lost database for ~18 s). */
const HANDLINGS_SETTLE_MS = 30_000
