import { and, desc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { updates } from '../../db/schema/index.js'

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
  const row = and(eq(updates.botId, key.botId), eq(updates.updateId, key.updateId), eq(updates.state, 'failed'))
  const [result] = await db
    .update(updates)
    .set({ state: 'received', attempts: 0, updatedAt: new Date(0) })
    .where(projectId === undefined ? row : and(row, eq(updates.projectId, projectId)))
  return result.affectedRows === 1
}

export interface UpdateKey {
  botId: number
  updateId: number
}

/** "<bot id>:<update id>", the key an operator types and a button carries. */
export function formatUpdateKey(key: UpdateKey): string {
  return `${key.botId}:${key.updateId}`
}

export function parseUpdateKey(text: string): UpdateKey | undefined {
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(text)
  return match ? { botId: Number(match[1]), updateId: Number(match[2]) } : undefined
}

export function describeFailedUpdate(update: FailedUpdate): string {
  const firstLine = update.error?.split('\n')[0]?.slice(0, 300) ?? 'no error recorded'
  return `update ${formatUpdateKey(update)} (${update.kind}, ${update.attempts} attempts): ${firstLine}`
}

function kindOf(payload: string): string {
  try {
    return Object.keys(JSON.parse(payload) as object).find((key) => key !== 'update_id') ?? 'empty'
  } catch {
    return 'unreadable'
  }
}
