import type { Composer, MiddlewareFn } from 'grammy'
import type { Update } from 'grammy/types'
import type { DbOrTx } from '../../db/client.js'
import { isTransientDbError, retryTransient } from '../../db/errors.js'
import { claimUpdate, HandledMarks, recordHandlingFailure, storeUpdates, updateState, type UpdateKey } from '../../db/repositories/updates.js'
import type { BotContext } from '../shared/context.js'
import { heldClaimsOf, newClaimToken, takeClaim } from './claims.js'
import { trackHandling } from './in-flight.js'

const noop = async () => {}

/**
 * Updates polling has just stored as new rows (their state is 'received'; one process polls a
 * bot, holding its lease), so handling them needs no statement first. Keyed by the update object
 * itself, which grammY hands on as `ctx.update`; a redelivered or redriven update is not in it
 * and is claimed first.
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
 * Takes the update in hand for this handling: the claim its webhook insert made, a fresh polled
 * row, or a claim made now (false: handled before, parked, or in another handling's hands on
 * this or another instance). Returns the token to renew, if any.
 */
async function takeInHand(db: DbOrTx, ctx: BotContext, key: UpdateKey): Promise<{ token?: string } | undefined> {
  const stored = takeClaim(ctx.update)
  if (stored !== undefined) return { token: stored }
  if (freshlyStored.delete(ctx.update)) return {}
  const token = newClaimToken()
  if (await retryTransient(() => claimUpdate(db, key, token))) return { token }
  if ((await retryTransient(() => updateState(db, key))) !== undefined) return undefined
  // Ingress normally stored it already; a redrive or a direct call may not have.
  const inserted = await retryTransient(() => storeUpdates(db, ctx.project.id, ctx.self.id, [ctx.update], { claimToken: token }))
  return inserted === 1 || (await retryTransient(() => claimUpdate(db, key, token))) ? { token } : undefined
}

/**
 * Runs the bot's features for a stored update once across instances: skips one handled before
 * or in another handling's hands (a redelivery, on this instance or another), retries the whole
 * handling on a deadlock or a lost connection (later updates of the customer wait, so order
 * holds), then marks it handled (with the marks of the handlings finishing alongside, in one
 * statement) — or leaves it for the redrive and, after a few attempts, parks it as 'failed'.
 */
export function handleStoredUpdate(features: Composer<BotContext>, observe: (botId: number, outcome: UpdateOutcome) => void = () => {}): MiddlewareFn<BotContext> {
  const run = features.middleware()
  return (ctx) => trackHandling(ctx.deps.db, ctx.self.id, () => handle(ctx))
  async function handle(ctx: BotContext): Promise<void> {
    const { db } = ctx.deps
    const key = { botId: ctx.self.id, updateId: ctx.update.update_id }
    const claim = await takeInHand(db, ctx, key)
    if (!claim) {
      ctx.log.debug('update already handled or in hand elsewhere; ignored')
      observe(ctx.self.id, 'duplicate')
      return
    }
    const claims = heldClaimsOf(db, (error) => ctx.deps.logger.warn({ err: error }, 'could not renew the claims on updates in hand'))
    if (claim.token) claims.hold(claim.token)
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
    } finally {
      if (claim.token) claims.let(claim.token)
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
