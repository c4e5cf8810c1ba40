import type { MiddlewareFn } from 'grammy'
import { and, eq, sql } from 'drizzle-orm'
import { updates } from '../../db/schema/index.js'
import { MAX_HANDLING_ATTEMPTS, storeUpdates } from '../ingress/update-store.js'
import type { BotContext } from './context.js'

/**
 * Makes sure the update is stored (ingress normally stored it already), skips one that was
 * handled before (a redelivery), then marks it handled or failed.
 */
export function storeUpdate(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const { db } = ctx.deps
    const key = and(eq(updates.botId, ctx.self.id), eq(updates.updateId, ctx.update.update_id))
    await storeUpdates(db, ctx.project.id, ctx.self.id, [ctx.update])
    const [stored] = await db.select({ state: updates.state }).from(updates).where(key)
    if (stored?.state !== 'received') {
      ctx.log.debug({ state: stored?.state }, 'update already handled; ignored')
      return
    }
    try {
      await next()
      await db.update(updates).set({ state: 'handled' }).where(key)
    } catch (error) {
      // Left 'received' so the redrive loop tries again; parked as 'failed' after a few attempts.
      await db
        .update(updates)
        .set({
          attempts: sql`${updates.attempts} + 1`,
          state: sql`IF(${updates.attempts} + 1 >= ${MAX_HANDLING_ATTEMPTS}, 'failed', 'received')`,
          error: String((error as Error)?.stack ?? error).slice(0, 4000),
        })
        .where(key)
        .catch(() => undefined)
      throw error
    }
  }
}
