import type { Update } from 'grammy/types'
import { and, asc, eq, lt } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { updates } from '../../db/schema/index.js'

/**
 * Stores updates as received (duplicates ignored). Called before the getUpdates offset that
 * confirms them is sent, or before a webhook request is answered, so no update is lost.
 */
export async function storeUpdates(db: DbOrTx, projectId: number, botId: number, batch: Update[]): Promise<void> {
  if (batch.length === 0) return
  await db
    .insert(updates)
    .ignore()
    .values(batch.map((update) => ({ botId, updateId: update.update_id, projectId, payload: JSON.stringify(update) })))
}

export const MAX_HANDLING_ATTEMPTS = 5

/**
 * Updates stored but not handled (the process died in between, or handling failed and will be
 * tried again), oldest first. `olderThanMs` leaves alone what is being handled right now. A
 * stored payload that is not JSON can never be handled: it is parked as failed (and shown by
 * /failed) rather than stopping the redrive of the others.
 */
export async function unhandledUpdates(db: DbOrTx, botId: number, olderThanMs = 0): Promise<Update[]> {
  const rows = await db
    .select({ updateId: updates.updateId, payload: updates.payload })
    .from(updates)
    .where(and(eq(updates.botId, botId), eq(updates.state, 'received'), lt(updates.updatedAt, new Date(Date.now() - olderThanMs))))
    .orderBy(asc(updates.updateId))
    .limit(500)
  const readable: Update[] = []
  for (const row of rows) {
    try {
      readable.push(JSON.parse(row.payload) as Update)
    } catch (error) {
      await db
        .update(updates)
        .set({ state: 'failed', error: `the stored payload is not valid JSON; it cannot be handled (${(error as Error).message})` })
        .where(and(eq(updates.botId, botId), eq(updates.updateId, row.updateId)))
    }
  }
  return readable
}
