import type { Composer, MiddlewareFn } from 'grammy'
import { isTransientDbError, retryTransient } from '../../db/errors.js'
import { markUpdateHandled, recordHandlingFailure, storeUpdates, updateState } from '../../db/repositories/updates.js'
import type { BotContext } from './context.js'

const noop = async () => {}

/** What became of an update handed to the handlers (for metrics). */
export type UpdateOutcome = 'received' | 'handled' | 'failed' | 'duplicate'

/**
 * Runs the bot's features for a stored update: skips one handled before (a redelivery), retries
 * the whole handling on a deadlock or a lost connection (later updates of the customer wait, so
 * order holds), then marks it handled — or leaves it for the redrive and, after a few
 * attempts, parks it as 'failed'.
 */
export function handleStoredUpdate(features: Composer<BotContext>, observe: (botId: number, outcome: UpdateOutcome) => void = () => {}): MiddlewareFn<BotContext> {
  const run = features.middleware()
  return async (ctx) => {
    const { db } = ctx.deps
    const key = { botId: ctx.self.id, updateId: ctx.update.update_id }
    const stateOf = () => updateState(db, key)
    let state = await retryTransient(stateOf)
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
      await retryTransient(() => markUpdateHandled(db, key))
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
