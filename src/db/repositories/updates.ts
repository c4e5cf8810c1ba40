import type { Update } from 'grammy/types'
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../client.js'
import { updates } from '../schema/index.js'

/** After this many failed handling attempts an update is parked as 'failed' (shown by /failed). */
export const MAX_HANDLING_ATTEMPTS = 5

export interface UpdateKey {
  botId: number
  updateId: number
}

const whereKey = (key: UpdateKey) => and(eq(updates.botId, key.botId), eq(updates.updateId, key.updateId))

/**
 * Stores updates as received (duplicates ignored). Called before the getUpdates offset that
 * confirms them is sent, or before a webhook request is answered, so no update is lost.
 * Returns how many were new (fewer than given: some were stored before, a redelivery).
 */
export async function storeUpdates(db: DbOrTx, projectId: number, botId: number, batch: Update[]): Promise<number> {
  if (batch.length === 0) return 0
  const [result] = await db
    .insert(updates)
    .ignore()
    .values(batch.map((update) => ({ botId, updateId: update.update_id, projectId, payload: JSON.stringify(update) })))
  return result.affectedRows
}

/** The stored update's state ('received', 'handled', 'failed'), or undefined when it was never stored. */
export async function updateState(db: DbOrTx, key: UpdateKey): Promise<string | undefined> {
  const [row] = await db.select({ state: updates.state }).from(updates).where(whereKey(key))
  return row?.state
}

/** Marks an update handled, so a redelivery or a redrive skips it. */
export async function markUpdateHandled(db: DbOrTx, key: UpdateKey): Promise<void> {
  await db.update(updates).set({ state: 'handled' }).where(whereKey(key))
}

/**
 * Counts a failed handling attempt and keeps its reason: the update stays 'received' for the
 * redrive, or is parked as 'failed' once it used up its attempts.
 */
export async function recordHandlingFailure(db: DbOrTx, key: UpdateKey, reason: string): Promise<void> {
  await db
    .update(updates)
    .set({
      attempts: sql`${updates.attempts} + 1`,
      state: sql`IF(${updates.attempts} + 1 >= ${MAX_HANDLING_ATTEMPTS}, 'failed', 'received')`,
      error: reason.slice(0, 4000),
    })
    .where(whereKey(key))
}

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
        .where(whereKey({ botId, updateId: row.updateId }))
    }
  }
  return readable
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
    .where(options.projectId === undefined ? failed : and(failed, eq(updates.projectId, options.projectId)))
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
    .set({ state: 'received', attempts: 0, updatedAt: new Date(0) })
    .where(projectId === undefined ? row : and(row, eq(updates.projectId, projectId)))
  return result.affectedRows === 1
}

function kindOf(payload: string): string {
  try {
    return Object.keys(JSON.parse(payload) as object).find((key) => key !== 'update_id') ?? 'empty'
  } catch {
    return 'unreadable'
  }
}
