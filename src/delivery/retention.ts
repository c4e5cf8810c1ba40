import { and, eq, inArray, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { outbox, updates } from '../db/schema/index.js'

export interface RetentionOptions {
  /** Rows last touched longer ago than this are pruned. */
  olderThanDays: number
  /** Rows deleted per statement, so a large backlog never holds long locks. */
  batchSize?: number
}

/**
 * Prunes what only served delivery: handled updates and sent outbox rows (with their recorded
 * results) older than the retention. Failed, dead and unfinished rows stay for /failed and the
 * redrive; stored messages and relay links stay, they are the history.
 */
export async function pruneDeliveryHistory(db: DbOrTx, options: RetentionOptions): Promise<{ updates: number; outbox: number }> {
  const cutoff = new Date(Date.now() - options.olderThanDays * 24 * 60 * 60 * 1000)
  const batchSize = options.batchSize ?? 1000
  const pruned = { updates: 0, outbox: 0 }
  for (;;) {
    const [result] = await db
      .delete(updates)
      .where(and(eq(updates.state, 'handled'), lt(updates.updatedAt, cutoff)))
      .limit(batchSize)
    pruned.updates += result.affectedRows
    if (result.affectedRows < batchSize) break
  }
  for (;;) {
    const ids = await sentOutboxRows(db, cutoff, batchSize)
    if (ids.length === 0) break
    // State checked again: only rows still sent are deleted.
    const [result] = await db.delete(outbox).where(and(inArray(outbox.id, ids), eq(outbox.state, 'sent')))
    pruned.outbox += result.affectedRows
    if (ids.length < batchSize) break
  }
  return pruned
}

/** Sent rows older than the cutoff that no unfinished row waits for (a child is claimed only once it finds its parent sent). */
async function sentOutboxRows(db: DbOrTx, cutoff: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.state, 'sent'),
        lt(outbox.updatedAt, cutoff),
        sql`NOT EXISTS (SELECT 1 FROM outbox AS child WHERE child.depends_on = ${outbox.id} AND child.state IN ('pending', 'sending'))`,
      ),
    )
    .orderBy(outbox.id)
    .limit(limit)
  return rows.map((row) => row.id)
}
