import type { MiddlewareFn } from 'grammy'
import { and, eq } from 'drizzle-orm'
import { updates } from '../../db/schema/index.js'
import type { BotContext } from './context.js'

/**
 * Persists every update before it is handled (deduplicated on bot × update_id), then marks it
 * handled or failed. A redelivered update stops here.
 */
export function storeUpdate(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const { db } = ctx.deps
    const key = and(eq(updates.botId, ctx.self.id), eq(updates.updateId, ctx.update.update_id))
    const [inserted] = await db
      .insert(updates)
      .ignore()
      .values({ botId: ctx.self.id, updateId: ctx.update.update_id, projectId: ctx.project.id, payload: JSON.stringify(ctx.update) })
    if (inserted.affectedRows === 0) {
      const [existing] = await db.select({ state: updates.state }).from(updates).where(key)
      if (existing?.state !== 'received') {
        ctx.log.debug('duplicate update ignored')
        return
      }
    }
    try {
      await next()
      await db.update(updates).set({ state: 'handled' }).where(key)
    } catch (error) {
      await db
        .update(updates)
        .set({ state: 'failed', error: String((error as Error)?.stack ?? error).slice(0, 4000) })
        .where(key)
        .catch(() => undefined)
      throw error
    }
  }
}
