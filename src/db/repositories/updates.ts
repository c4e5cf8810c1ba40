import type { Update } from 'grammy/types'
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import { inProject, projectRow } from '../project-scope.js'
import { retryTransient } from '../errors.js'
import type { DbOrTx } from '../client.js'
import { updates } from '../schema/index.js'

/** After this many failed handling attempts an update is parked as 'failed' (shown by /failed). */
export const MAX_HANDLING_ATTEMPTS = 5

export interface UpdateKey {
  botId: number
  updateId: number
}

const whereKey = (key: UpdateKey) => and(eq(updates.botId, key.botId), eq(updates.updateId, key.updateId))

/** How long a claim keeps an update in one handling's hands unless renewed (see `renewClaims`). */
export const CLAIM_LEASE_SECONDS = 30

const leaseEnd = sql`CURRENT_TIMESTAMP(3) + INTERVAL ${CLAIM_LEASE_SECONDS} SECOND`
/** A claim names the instance it belongs to (the pool's `@topicdesk_instance`, `db/client.ts`; NULL on a pool of none). */
const claimedBy = sql`@topicdesk_instance`
/** No handling has the update in hand: never claimed, released, or its lease ran out (a process died). */
const unclaimed = or(isNull(updates.claimedUntil), lt(updates.claimedUntil, sql`CURRENT_TIMESTAMP(3)`))
const claimedNow = sql<number>`${updates.claimedUntil} IS NOT NULL AND ${updates.claimedUntil} >= CURRENT_TIMESTAMP(3)`

export interface StoreOptions {
  /** The order key of each update (stored, so other instances can keep the order). */
  orderKeyOf?: (update: Update) => string | undefined
  /** Claims the new rows for the handling that stored them, in the same insert. */
  claimToken?: string
}

/**
 * Stores updates as received (duplicates ignored). Called before the getUpdates offset that
 * confirms them is sent, or before a webhook request is answered, so no update is lost.
 * Returns how many were new (fewer than given: some were stored before, a redelivery).
 */
export async function storeUpdates(db: DbOrTx, projectId: number, botId: number, batch: Update[], options: StoreOptions = {}): Promise<number> {
  if (batch.length === 0) return 0
  const claim = options.claimToken === undefined ? {} : { claimToken: options.claimToken, claimedUntil: leaseEnd, claimedBy }
  const [result] = await db
    .insert(updates)
    .ignore()
    .values(
      batch.map((update) =>
        projectRow(updates, projectId, { botId, updateId: update.update_id, payload: JSON.stringify(update), orderKey: options.orderKeyOf?.(update)?.slice(0, 64), ...claim }),
      ),
    )
  return result.affectedRows
}

/**
 * Takes a received update in hand for one handling (token), across instances: true unless it
 * is handled, parked, or in another handling's hands whose lease still runs.
 */
export async function claimUpdate(db: DbOrTx, key: UpdateKey, token: string): Promise<boolean> {
  const [result] = await db
    .update(updates)
    .set({ claimToken: token, claimedUntil: leaseEnd, claimedBy })
    .where(and(whereKey(key), eq(updates.state, 'received'), unclaimed))
  return result.affectedRows === 1
}

/** Extends the leases of the claims a process still holds (handlings in progress or waiting their turn). */
export async function renewClaims(db: DbOrTx, tokens: string[]): Promise<void> {
  if (tokens.length === 0) return
  await db
    .update(updates)
    .set({ claimedUntil: leaseEnd })
    .where(and(inArray(updates.claimToken, tokens), eq(updates.state, 'received')))
}

/** Lets go of a claim without handling the update (its handling never started), for another to take. */
export async function releaseClaim(db: DbOrTx, key: UpdateKey, token: string): Promise<void> {
  await db
    .update(updates)
    .set({ claimToken: null, claimedUntil: null })
    .where(and(whereKey(key), eq(updates.claimToken, token)))
}

/**
 * Ends at once the claims of instances whose own lease ran out (`InstanceLeases`), instead of
 * after CLAIM_LEASE_SECONDS: their updates are nobody's again, so the next update of the same
 * customer, waiting on another instance (`in-order.ts`), takes them up now.
 */
export async function releaseUpdateClaimsOf(db: DbOrTx, instanceIds: string[]): Promise<number> {
  if (instanceIds.length === 0) return 0
  const [result] = await db
    .update(updates)
    // updated_at kept: the redrive's age counts from the update's last handling, not from this release.
    .set({ claimToken: null, claimedUntil: null, claimedBy: null, updatedAt: sql`${updates.updatedAt}` })
    .where(and(eq(updates.state, 'received'), inArray(updates.claimedBy, instanceIds)))
  return result.affectedRows
}

/** The earliest update of the same order key stored before this one and not yet done with (see `earlierUpdateInTheWay`). */
export interface EarlierUpdate {
  updateId: number
  payload: string
  /** A handling has it in hand (its lease runs): wait for it. Else nobody does: take it up. */
  inHand: boolean
}

/**
 * The earliest update of the bot with the same order key and a smaller id that must be handled
 * before this one: received and never tried, or in a handling's hands right now. One that
 * failed and waits for the redrive does not hold the customer's later updates up.
 */
export async function earlierUpdateInTheWay(db: DbOrTx, botId: number, orderKey: string, updateId: number): Promise<EarlierUpdate | undefined> {
  const [row] = await db
    .select({ updateId: updates.updateId, payload: updates.payload, inHand: claimedNow })
    .from(updates)
    .where(
      and(
        eq(updates.botId, botId),
        eq(updates.orderKey, orderKey),
        lt(updates.updateId, updateId),
        eq(updates.state, 'received'),
        or(eq(updates.attempts, 0), sql`${updates.claimedUntil} >= CURRENT_TIMESTAMP(3)`),
      ),
    )
    .orderBy(asc(updates.updateId))
    .limit(1)
  return row ? { ...row, inHand: Number(row.inHand) === 1 } : undefined
}

/** The stored update's state ('received', 'handled', 'failed'), or undefined when it was never stored. */
export async function updateState(db: DbOrTx, key: UpdateKey): Promise<string | undefined> {
  const [row] = await db.select({ state: updates.state }).from(updates).where(whereKey(key))
  return row?.state
}

/** Marks a bot's updates handled (their claims let go) in one statement, so a redelivery or a redrive skips them. */
export async function markUpdatesHandled(db: DbOrTx, botId: number, updateIds: number[]): Promise<void> {
  await db
    .update(updates)
    .set({ state: 'handled', claimToken: null, claimedUntil: null })
    .where(and(eq(updates.botId, botId), updateIds.length === 1 ? eq(updates.updateId, updateIds[0]!) : inArray(updates.updateId, updateIds)))
}

interface WaitingMark {
  key: UpdateKey
  done: (error?: Error) => void
}

/** How long a handled mark waits for others to share its statement (see `HandledMarks`). */
export const HANDLED_MARK_WINDOW_MS = 50

/**
 * Marks updates handled, many in one statement per bot (group commit): the marks asked for within
 * `windowMs` of the first, or while the previous statement was being written, share the next one
 * (at a steady 100 updates/s, one statement per 5 updates, not one each; the redrive leaves
 * updates younger than 30 s alone, so the wait hands nothing to it). Each caller still waits for
 * its own mark, so an update is marked before its handling returns, exactly as with one UPDATE
 * each: a crash leaves the same updates unhandled (for the redrive). The wait holds one of
 * ingress's handling slots (64 per bot) for up to `windowMs`, not the relay: copies go out on commit.
 */
export class HandledMarks {
  private waiting: WaitingMark[] = []
  private writing = false

  constructor(
    private readonly db: DbOrTx,
    private readonly windowMs = HANDLED_MARK_WINDOW_MS,
  ) {}

  /** Resolves once the update is marked handled (rejects when the database could not be written). */
  mark(key: UpdateKey): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, done: (error) => (error === undefined ? resolve() : reject(error)) })
      if (this.writing) return
      this.writing = true
      setTimeout(() => void this.write(), this.windowMs)
    })
  }

  private async write(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 500)
      const byBot = new Map<number, WaitingMark[]>()
      for (const mark of batch) byBot.set(mark.key.botId, [...(byBot.get(mark.key.botId) ?? []), mark])
      await Promise.all(
        [...byBot].map(async ([botId, marks]) => {
          try {
            await retryTransient(() =>
              markUpdatesHandled(
                this.db,
                botId,
                marks.map((mark) => mark.key.updateId),
              ),
            )
            for (const mark of marks) mark.done()
          } catch (error) {
            for (const mark of marks) mark.done(error instanceof Error ? error : new Error(String(error)))
          }
        }),
      )
    }
    this.writing = false
  }
}

/**
 * Counts a failed handling attempt and keeps its reason: the update stays 'received' (its claim
 * let go) for the redrive, or is parked as 'failed' once it used up its attempts.
 */
export async function recordHandlingFailure(db: DbOrTx, key: UpdateKey, reason: string): Promise<void> {
  await db
    .update(updates)
    .set({
      attempts: sql`${updates.attempts} + 1`,
      state: sql`IF(${updates.attempts} + 1 >= ${MAX_HANDLING_ATTEMPTS}, 'failed', 'received')`,
      error: reason.slice(0, 4000),
      claimToken: null,
      claimedUntil: null,
    })
    .where(whereKey(key))
}

/**
 * Updates stored but not handled (the process died in between, or handling failed and will be
 * tried again), oldest first. Those a handling has in hand (its claim's lease runs, on any
 * instance) are left alone, and so are those touched in the last `olderThanMs` (database clock). A
 * stored payload that is not JSON can never be handled: it is parked as failed (and shown by
 * /failed) rather than stopping the redrive of the others.
 */
export async function unhandledUpdates(db: DbOrTx, botId: number, olderThanMs = 0): Promise<Update[]> {
  return (await unhandledUpdatesOfBots(db, [botId], olderThanMs)).map((row) => row.update)
}

/**
 * `unhandledUpdates` of several bots in one statement (an instance's periodic redrive of every
 * bot it polls, or of every webhook bot): oldest first, at most 500 in all.
 */
export async function unhandledUpdatesOfBots(db: DbOrTx, botIds: number[], olderThanMs = 0): Promise<Array<{ botId: number; update: Update }>> {
  if (botIds.length === 0) return []
  const rows = await db
    .select({ botId: updates.botId, updateId: updates.updateId, payload: updates.payload })
    .from(updates)
    .where(
      and(
        eq(updates.state, 'received'),
        inArray(updates.botId, botIds),
        unclaimed,
        // On the database's clock (the one that wrote updated_at); age 0 takes every one, even one stored this instant.
        olderThanMs > 0 ? lt(updates.updatedAt, sql`CURRENT_TIMESTAMP(3) - INTERVAL ${olderThanMs * 1000} MICROSECOND`) : undefined,
      ),
    )
    .orderBy(asc(updates.updateId))
    .limit(500)
  const readable: Array<{ botId: number; update: Update }> = []
  for (const row of rows) {
    try {
      readable.push({ botId: row.botId, update: JSON.parse(row.payload) as Update })
    } catch (error) {
      await parkUnreadableUpdate(db, { botId: row.botId, updateId: row.updateId }, error as Error)
    }
  }
  return readable
}

/** Parks an update whose stored payload is not JSON: it can never be handled (shown by /failed). */
export async function parkUnreadableUpdate(db: DbOrTx, key: UpdateKey, error: Error): Promise<void> {
  await db
    .update(updates)
    .set({ state: 'failed', error: `the stored payload is not valid JSON; it cannot be handled (${error.message})`, claimToken: null, claimedUntil: null })
    .where(whereKey(key))
}

/** An update parked after its handling attempts failed: shown next to dead outbox rows. */
export interface FailedUpdate {
  botId: number
  updateId: number
  projectId: number
  /** The update's kind ("message", "callback_query"…), or "unreadable" when the stored payload is not JSON. */
  kind: string
  attempts: number
  error: string | null
  updatedAt: Date
}

/** Updates parked as failed, newest first; only one project's when `projectId` is given. */
export async function listFailedUpdates(db: DbOrTx, options: { projectId?: number; limit?: number } = {}): Promise<FailedUpdate[]> {
  const failed = eq(updates.state, 'failed')
  const { botId, updateId, projectId, attempts, error, updatedAt, payload } = updates
  const rows = await db
    .select({ botId, updateId, projectId, attempts, error, updatedAt, payload })
    .from(updates)
    .where(options.projectId === undefined ? failed : inProject(updates, options.projectId, failed))
    .orderBy(desc(updates.updatedAt))
    .limit(options.limit ?? 20)
  return rows.map(({ payload, ...row }) => ({ ...row, kind: kindOf(payload) }))
}

/**
 * Puts a failed update back as received with a fresh attempt budget, dated in the past so the
 * next redrive (which skips rows touched in the last seconds, possibly in hand) handles it at
 * once. False when it is not failed (or not in the project).
 */
export async function retryFailedUpdate(db: DbOrTx, key: UpdateKey, projectId?: number): Promise<boolean> {
  const row = and(whereKey(key), eq(updates.state, 'failed'))
  const [result] = await db
    .update(updates)
    .set({ state: 'received', attempts: 0, updatedAt: new Date(0), claimToken: null, claimedUntil: null })
    .where(projectId === undefined ? row : inProject(updates, projectId, row))
  return result.affectedRows === 1
}

function kindOf(payload: string): string {
  try {
    return Object.keys(JSON.parse(payload) as object).find((key) => key !== 'update_id') ?? 'empty'
  } catch {
    return 'unreadable'
  }
}
