import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { releaseExpiredLeases } from './outbox.js'
import { sqlList } from '../db/sql-list.js'

/**
 * The outbox claims of instances whose own lease ran out (dead, or cut from the database; found
 * by `InstanceLeases`) end now instead of after `delivery.leaseSeconds`: their rows' leases are
 * made to have run out, then released as every expired claim is (`releaseExpiredLeases`: due
 * again, at-least-once, a send of unknown outcome may go out twice). Returns how many rows were
 * released (theirs, and any other claim that had run out).
 */
export async function releaseClaimsOf(db: DbOrTx, instanceIds: string[]): Promise<number> {
  if (instanceIds.length === 0) return 0
  const [ended] = (await db.execute(sql`
    UPDATE outbox SET locked_until = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND
    WHERE state = 'sending' AND claimed_by IN (${sqlList(instanceIds)})`)) as unknown as [{ affectedRows: number }]
  if (ended.affectedRows === 0) return 0
  return releaseExpiredLeases(db)
}
