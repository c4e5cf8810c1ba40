import { isTransientDbError, retryTransient } from '../db/errors.js'
import { priorityClasses, type PriorityClass } from '../db/schema/index.js'
import type { Logger } from '../logger.js'
import { backoffMs, classifyTelegramError, describeError, PermanentJobError, type FailureClass } from './classify-error.js'
import { executeJob, messagesOfJob, type ExecutorDeps } from './executor.js'
import { outboxJobs, type JobRegistry } from './jobs/index.js'
import type { DeliveryHooks } from './hooks.js'
import type { DeliveryObserver } from './observer.js'
import { claimJobs, classDueTimes, defer, markDead, markSent, releaseExpiredLeases, renewLease, reschedule, SentRecorded, TOKEN_WAIT, type ClaimedJob } from './outbox.js'
import type { LinkWithMessage } from '../db/repositories/relay.js'
import type { SendPlan, SendPlanner } from './send-planner.js'
import { HeldClaims } from './held-claims.js'
import { recoverTopic, type PassingFailure } from './topic-recovery.js'
import { ClassWakeups, Wakeup } from './wakeup.js'

export type { DeliveryHooks }

export interface WorkerOptions {
  /** Concurrent claim → send loops per priority class (`live` gets `LIVE_WORKERS` times as many). */
  workersPerClass: number
  maxAttempts: number
  /** How often idle workers look for rows another process queued (one cheap query, not a claim per class). */
  pollIntervalMs: number
  batchSize?: number
  /** How long a claimed row stays reserved for its worker (a crashed worker's rows return after it). */
  leaseSeconds?: number
}

/** A worker that slept this long claims once even unwoken: a safety net, not the way work is found. */
const IDLE_CLAIM_MS = 30_000

/**
 * Outbox workers: claim → send → record, like the runner's source → sink. Each priority class has
 * its own loops, so a busy class never holds up another. Idle workers sleep until `ClassWakeups`
 * sees a row due in their class: after the domain's `notify()`, after a batch, or on its interval.
 * Bulk workers that met a spent budget pause until it frees (see `loop`).
 * `deps.db` should be a READ COMMITTED pool (see `claimJobs`).
 */
export class OutboxWorkers {
  private running = false
  private readonly loops: Promise<void>[] = []
  private leaseTimer?: NodeJS.Timeout
  private readonly wakeup: Wakeup
  private readonly wakeups: ClassWakeups<PriorityClass>
  private stopListening?: () => void
  private readonly held: HeldClaims
  private readonly jobs: JobRegistry
  /** The last claim of each class in this process (see `claim`). */
  private readonly claiming = new Map<PriorityClass, Promise<ClaimedJob[]>>()

  /**
   * `wakeup` is shared with whoever queues rows (the domain's `notify`); one is made when not given.
   * `jobs`: the job types this worker sends (every outbox job type when not given).
   */
  constructor(
    private readonly deps: ExecutorDeps & { logger: Logger; planner?: SendPlanner; observer?: DeliveryObserver; wakeup?: Wakeup; jobs?: JobRegistry },
    private readonly options: WorkerOptions,
  ) {
    this.jobs = deps.jobs ?? outboxJobs
    this.wakeup = deps.wakeup ?? new Wakeup()
    this.held = new HeldClaims(deps)
    this.wakeups = new ClassWakeups(() => classDueTimes(deps.db), {
      intervalMs: options.pollIntervalMs,
      minGapMs: Math.min(20, options.pollIntervalMs),
      onError: (error) => deps.logger.warn({ err: error }, 'could not look for due outbox rows; trying again'),
    })
  }

  start(only: readonly PriorityClass[] = priorityClasses): void {
    if (this.running) return
    this.running = true
    this.stopListening = this.wakeup.onNotify(() => this.wakeups.check())
    this.wakeups.start()
    for (const priorityClass of only) for (let i = 0; i < workersOf(priorityClass, this.options.workersPerClass); i++) this.loops.push(this.loop(priorityClass))
    const housekeeping = () => {
      this.deps.planner?.budget.prune()
      return releaseExpiredLeases(this.deps.db).catch((error) => this.deps.logger.warn({ err: error }, 'lease release failed'))
    }
    void housekeeping()
    // Expired leases come back within half a lease, so a crashed worker's rows wait at most 1.5 leases.
    this.leaseTimer = setInterval(() => void housekeeping(), Math.max(1000, Math.min(15_000, ((this.options.leaseSeconds ?? 60) * 1000) / 2)))
  }

  /**
   * Stops claiming; claimed rows whose send has not begun go back in line at once. Waits up to
   * `drainMs` for the sends in flight; returns false when some were still running then: their rows
   * are due again after `UNCERTAIN_SEND_GRACE_MS` (see `held-claims.ts`; at-least-once: such a message may arrive twice).
   */
  async stop(drainMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    this.running = false
    clearInterval(this.leaseTimer)
    this.stopListening?.()
    this.wakeups.stop()
    let timer: NodeJS.Timeout | undefined
    const drained = await Promise.race([
      Promise.all(this.loops).then(() => true),
      ...(Number.isFinite(drainMs) ? [new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), drainMs)))] : []),
    ])
    clearTimeout(timer)
    this.loops.length = 0
    if (!drained) await this.held.releaseAll()
    return drained
  }

  notify(): void {
    this.wakeup.notify()
  }

  private async loop(priorityClass: PriorityClass): Promise<void> {
    const batchSize = this.options.batchSize ?? 8
    while (this.running) {
      let claimed: ClaimedJob[] = []
      try {
        claimed = await this.claim(priorityClass, batchSize)
      } catch (error) {
        this.deps.logger.error({ err: error, class: priorityClass }, 'outbox claim failed')
        await this.wakeups.sleep(priorityClass, 1000)
        continue
      }
      if (claimed.length === 0) {
        await this.wakeups.sleep(priorityClass, IDLE_CLAIM_MS)
        continue
      }
      // A full batch: more may be due, and another worker of the class can claim it meanwhile.
      if (claimed.length === batchSize) this.wakeups.wakeOne(priorityClass)
      const links = readAhead(claimed)
      this.held.add(claimed)
      const deferrals = await Promise.all(claimed.map((job) => this.process(job, links).finally(() => this.held.done(job.id))))
      // A finished row may have unblocked the next one of its destination, in any class.
      this.wakeups.check()
      // Bulk takes only what the other classes leave: once a budget put a bulk row back, claiming
      // more now would mostly put them back too (a claim and a write each), so the worker waits
      // until the first of them is due (a timer, not a wake-up: bulk rows are due all the time).
      const waits = deferrals.filter((ms): ms is number => ms !== undefined)
      if (priorityClass === 'bulk' && waits.length > 0 && this.running) await pause(Math.min(BULK_PAUSE_MAX_MS, ...waits))
      else if (claimed.length < batchSize && this.running) await this.wakeups.sleep(priorityClass, IDLE_CLAIM_MS)
    }
  }

  /**
   * A claim for one loop, once the claim in flight of its class in this process has finished:
   * loops woken together read the same due rows, and all but one took none of them (two
   * statements for nothing). Claims are a few ms; the sends that follow still run side by side.
   */
  private claim(priorityClass: PriorityClass, batchSize: number): Promise<ClaimedJob[]> {
    const run = () => claimJobs(this.deps.db, priorityClass, batchSize, this.options.leaseSeconds, this.jobs.linkPrefetching)
    const claim = (this.claiming.get(priorityClass) ?? Promise.resolve([])).then(run, run)
    this.claiming.set(priorityClass, claim)
    return claim
  }

  /** Sends one claimed row; returns how long it was put back for when a budget deferred it. */
  private async process(claimed: ClaimedJob, links?: ReadonlyMap<number, LinkWithMessage>): Promise<number | undefined> {
    if (!this.running) return void (await this.held.putBack(claimed))
    const deps = links ? { ...this.deps, links } : this.deps
    let job = claimed
    let plan: SendPlan | undefined
    if (this.deps.planner) {
      try {
        // A job whose content cannot be read weighs 1 here; sending it reports the real problem.
        const messages = await messagesOfJob(deps, claimed, this.jobs).catch(() => 1)
        plan = await this.deps.planner.plan(claimed, messages)
        if (plan.delayMs > 0) {
          this.deps.observer?.deferred(claimed, plan.delayMs)
          // Retried: a deferral chosen as a deadlock victim left its row "sending" for a whole lease (a move's answer after 75 s).
          await retryTransient(() => defer(this.deps.db, claimed, plan!.delayMs))
          return plan.delayMs
        }
        job = { ...claimed, botId: plan.botId }
      } catch (error) {
        this.deps.logger.error({ err: error, outboxId: claimed.id }, 'send planning failed; the row is due again shortly')
        await retryTransient(() => defer(this.deps.db, claimed, PLAN_FAILED_RETRY_MS)).catch((deferError: unknown) =>
          this.deps.logger.warn({ err: deferError, outboxId: claimed.id }, 'could not put back a row whose planning failed; the lease will release it'),
        )
        return
      }
    }
    // Stopping: a send not yet begun is not begun at all (its planned slot, if any, lapses unused).
    if (!this.running) return void (await this.held.putBack(claimed))
    this.held.sending(claimed.id)
    const log = this.deps.logger.child({ outboxId: job.id, class: job.class, jobType: job.job.type, botId: job.botId })
    let result: unknown
    const started = performance.now()
    const seconds = () => (performance.now() - started) / 1000
    // Renewed every third of a lease while the send runs, so the row is never taken for a crashed worker's.
    const leaseSeconds = this.options.leaseSeconds ?? 60
    const renewal = setInterval(
      () => {
        renewLease(this.deps.db, job, leaseSeconds).catch((error: unknown) => log.warn({ err: error }, 'lease renewal failed'))
      },
      (leaseSeconds * 1000) / 3,
    )
    try {
      result = await executeJob(deps, job, this.jobs)
      if (plan) this.deps.planner?.confirm(plan)
      this.deps.observer?.sendFinished(job, seconds())
    } catch (error) {
      // Telegram counts what arrived, and a failed call may have arrived: counted as sent now.
      if (plan) this.deps.planner?.confirm(plan)
      const description = describeError(error)
      const failure: FailureClass = error instanceof PermanentJobError ? { kind: 'permanent' } : isTransientDbError(error) ? { kind: 'transient' } : classifyTelegramError(error)
      if (failure.kind === 'rate_limited' && plan) this.deps.planner?.budget.penalize(job.botId, plan.chatId, failure.retryAfterSeconds)
      this.deps.observer?.sendFinished(job, seconds(), failure)
      if (failure.kind === 'unauthorized') this.deps.hooks?.onTokenRefused?.(job.botId, error)
      try {
        await retryTransient(() => this.handleFailure(job, failure, description, log))
      } catch (recordError) {
        log.error({ err: recordError }, 'could not record a failed send; the lease will release it')
      } finally {
        clearInterval(renewal)
      }
      return
    }
    clearInterval(renewal)
    if (result instanceof SentRecorded) return void log.debug({ result: result.result }, 'sent')
    try {
      await retryTransient(() => markSent(this.deps.db, job, result))
      log.debug({ result }, 'sent')
    } catch (error) {
      // Sent, but not recorded: the row comes back after its lease, and the executor skips
      // a copy whose id was recorded.
      log.error({ err: error }, 'sent, but could not record it; the row will be checked again after its lease')
    }
  }

  private async handleFailure(job: ClaimedJob, failure: FailureClass, description: string, log: Logger): Promise<void> {
    switch (failure.kind) {
      case 'rate_limited':
      case 'uncertain':
      case 'transient':
      case 'unauthorized':
        return this.retryLater(job, failure, description, log)
      case 'not_modified':
        return markSent(this.deps.db, job, { notModified: true })
      case 'topic_closed':
      case 'topic_missing': {
        // Reopen or recreate the topic, then send the same row again; a recovery that meets the
        // network (or a busy Telegram) is retried like any send, within the row's attempts.
        const recovery = job.attempts <= this.options.maxAttempts ? await recoverTopic(this.deps, job.destination, job.botId, failure.kind) : { outcome: 'failed' as const }
        if (recovery.outcome === 'reopened' || recovery.outcome === 'recreated') {
          await this.deps.hooks?.onTopicRecovered?.(job, recovery.outcome, recovery.topicId)
          return reschedule(this.deps.db, job, 0, description)
        }
        if (recovery.outcome === 'retry') return this.retryLater(job, recovery.failure, recovery.error, log)
        log.error({ failure: failure.kind, error: description }, 'topic could not be recovered; moved to the dead letter list')
        await markDead(this.deps.db, job, description)
        await this.deps.hooks?.onPermanentFailure?.(job, failure, description)
        return
      }
      default:
        log.error({ failure: failure.kind, error: description }, 'permanent failure; moved to the dead letter list')
        await markDead(this.deps.db, job, description)
        await this.deps.hooks?.onPermanentFailure?.(job, failure, description)
    }
  }

  /** A passing failure: back in line after Telegram's retry_after or a backoff, until the row is out of attempts. */
  private async retryLater(job: ClaimedJob, failure: PassingFailure, description: string, log: Logger): Promise<void> {
    if (failure.kind === 'unauthorized') {
      // A revoked token: nothing is lost while the operator puts a new one in (reported failing by its polling, or by onTokenRefused).
      log.warn({ botId: job.botId }, 'the bot token was refused (401); the row waits for a new token')
      return defer(this.deps.db, job, UNAUTHORIZED_WAIT_MS, `${TOKEN_WAIT}: ${description}`)
    }
    if (failure.kind === 'rate_limited') {
      log.warn({ retryAfter: failure.retryAfterSeconds }, 'rate limited by Telegram; rescheduled')
      return reschedule(this.deps.db, job, failure.retryAfterSeconds * 1000, description)
    }
    if (failure.kind === 'uncertain') {
      // Telegram has no idempotency key: a message that may have been posted is re-sent,
      // logged so a duplicate can be traced (losing it would be worse).
      log.warn({ attempts: job.attempts, error: description }, 'delivery uncertain (network failure after sending); re-sending, which may duplicate')
    }
    if (job.attempts < this.options.maxAttempts) {
      const delay = backoffMs(job.attempts)
      log.warn({ attempts: job.attempts, delay, error: description }, 'transient failure; retrying')
      return reschedule(this.deps.db, job, delay, description)
    }
    log.error({ attempts: job.attempts, error: description }, 'out of attempts; moved to the dead letter list')
    return markDead(this.deps.db, job, `out of attempts: ${description}`)
  }
}

/** The relay links of a claimed batch, read with the claim, by link id; a job whose link is gone reads (and reports) it itself. */
function readAhead(claimed: ClaimedJob[]): ReadonlyMap<number, LinkWithMessage> | undefined {
  const copies = claimed.flatMap((job) => (job.copy ? [[job.copy.link.id, job.copy] as const] : []))
  return copies.length > 0 ? new Map(copies) : undefined
}

/**
 * The live class carries both directions of the relay, which had a lane and workers each (copies
 * into topics, replies to clients): it keeps their concurrency, so a claim costs what it did.
 */
const LIVE_WORKERS = 2

function workersOf(priorityClass: PriorityClass, perClass: number): number {
  return priorityClass === 'live' ? perClass * LIVE_WORKERS : perClass
}

/** The longest a bulk worker pauses after a budget put its rows back (another bot's bulk rows may be sendable). */
const BULK_PAUSE_MAX_MS = 1000

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A row whose send planning failed (the budgets' transaction, say) is due again this soon, not after its lease. */
const PLAN_FAILED_RETRY_MS = 1000

/** How often a row whose bot token is refused tries again (a claim and one refused call per waiting chat each time). */
const UNAUTHORIZED_WAIT_MS = 10_000
