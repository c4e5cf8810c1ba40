import { inArray, sql } from 'drizzle-orm'
import type { Database, DbOrTx } from '../db/client.js'
import { retryTransient } from '../db/errors.js'
import { rateWindows } from '../db/schema/index.js'
import type { RateBudget, Reservation, StoredWindows } from './rate-budget.js'

/** Bot id → chat id → times of sends in the last minute. */
export type SeedSends = Map<number, Map<number, number[]>>

interface Decision {
  botIds: readonly number[]
  decide: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/** How soon confirmations are written when no plan is waiting to carry them. */
const CONFIRM_FLUSH_MS = 200

/**
 * Shares the rate budgets of every bot between the service's processes through `rate_windows`
 * (one row per bot): planning decisions that arrive together (the claimed batches of all classes)
 * are taken in ONE short transaction that locks the bots' rows, loads every process's recent
 * sends, decides, and writes the reservations back; confirmations ride along with the next
 * batch. So budgets are shared, not divided by hand, they survive a restart, and a send costs
 * no round trip of its own. Sends no planner recorded (a process with budgets off, or one that
 * crashed before its records) are seeded once per bot from the outbox at start-up. Chosen over a per-bot sending leader because any process may claim
 * any row: a leader would have to hand rows it cannot send back to the queue.
 */
export class SharedBudget {
  private queue: Decision[] = []
  private readonly confirmed = new Map<string, { botId: number; at: number }>()
  private flushing = false
  private confirmTimer?: NodeJS.Timeout
  private seeds?: Promise<SeedSends>
  private readonly seeded = new Set<number>()

  /** `seed`: the sends of the last minute known from elsewhere, applied once per bot when it is first loaded. */
  constructor(
    private readonly db: Database,
    readonly budget: RateBudget,
    private readonly seed?: () => Promise<SeedSends>,
  ) {}

  /** Runs `decide` (which may reserve in the budget) with the bots' windows as every process sees them. */
  withBots<T>(botIds: readonly number[], decide: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ botIds, decide, resolve: resolve as (value: unknown) => void, reject })
      this.schedule(0)
    })
  }

  /** The reserved send's call answered at `at`: recorded here at once, in the database with the next batch. */
  confirm(reservation: Reservation, at = Date.now()): void {
    this.budget.confirm(reservation, at)
    this.confirmed.set(reservation.token, { botId: reservation.botId, at })
    this.schedule(CONFIRM_FLUSH_MS)
  }

  private schedule(delayMs: number): void {
    if (this.flushing) return
    if (delayMs === 0) {
      clearTimeout(this.confirmTimer)
      this.confirmTimer = undefined
      setImmediate(() => void this.flush())
    } else {
      this.confirmTimer ??= setTimeout(() => {
        this.confirmTimer = undefined
        void this.flush()
      }, delayMs)
      this.confirmTimer.unref()
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing) return
    const batch = this.queue
    const confirmations = new Map(this.confirmed)
    if (batch.length === 0 && confirmations.size === 0) return
    this.flushing = true
    this.queue = []
    const botIds = [...new Set([...batch.flatMap((d) => d.botIds), ...[...confirmations.values()].map((c) => c.botId)])].sort((a, b) => a - b)
    const confirmedAt = new Map([...confirmations].map(([token, c]) => [token, c.at]))
    try {
      this.seeds ??= this.seedOnce()
      const seeds = await this.seeds
      const results = await retryTransient(() =>
        this.db.transaction(async (tx) => {
          await this.load(tx, botIds, confirmedAt, seeds)
          const outcomes = batch.map((d) => {
            try {
              return { ok: true as const, value: d.decide() }
            } catch (error) {
              return { ok: false as const, error }
            }
          })
          const now = Date.now()
          await tx
            .insert(rateWindows)
            .values(botIds.map((botId) => ({ botId, windows: JSON.stringify(this.budget.exportBot(botId, now)) })))
            .onDuplicateKeyUpdate({ set: { windows: sql`VALUES(windows)` } })
          return outcomes
        }),
      )
      for (const token of confirmations.keys()) this.confirmed.delete(token)
      for (const botId of botIds) this.seeded.add(botId)
      results.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)))
    } catch (error) {
      for (const decision of batch) decision.reject(error)
    } finally {
      this.flushing = false
      if (this.queue.length) this.schedule(0)
      else if (this.confirmed.size) this.schedule(CONFIRM_FLUSH_MS)
    }
  }

  /** Locks the bots' rows (in id order, so two processes never deadlock) and loads them into the budget. */
  /** The start-up seed; a failed one is not kept, so the next flush tries again (a kept rejection would stop every send). */
  private async seedOnce(): Promise<SeedSends> {
    try {
      return this.seed ? await retryTransient(this.seed) : new Map()
    } catch (error) {
      this.seeds = undefined
      throw error
    }
  }

  private async load(tx: DbOrTx, botIds: number[], confirmedAt: ReadonlyMap<string, number>, seeds: SeedSends): Promise<void> {
    const read = async () =>
      (await tx.select().from(rateWindows).where(inArray(rateWindows.botId, botIds)).orderBy(rateWindows.botId).for('update')) as Array<{ botId: number; windows: string }>
    let rows = await read()
    if (rows.length < botIds.length) {
      const known = new Set(rows.map((r) => r.botId))
      const missing = botIds.filter((id) => !known.has(id))
      await tx
        .insert(rateWindows)
        .values(missing.map((botId) => ({ botId, windows: '{}' })))
        .onDuplicateKeyUpdate({ set: { botId: sql`bot_id` } })
      rows = await read()
    }
    for (const row of rows) {
      this.budget.importBot(row.botId, JSON.parse(row.windows) as StoredWindows, confirmedAt)
      const seed = seeds.get(row.botId)
      if (seed && !this.seeded.has(row.botId)) this.budget.seedBot(row.botId, seed)
    }
  }
}
