import { sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { sqlList } from '../db/sql-list.js'

/** A relayed copy to record on its relay link, with the outbox row (and claim) it was sent for. */
export interface CopyRecord {
  claim: { id: number; token: string }
  copy: { linkId: number; copyMessageId: number; threadId: number | null; botId: number }
  result: unknown
}

interface Waiting {
  record: CopyRecord
  resolve: (recorded: boolean) => void
  reject: (error: unknown) => void
}

/** The most copies one statement records (a batch of claims is 8 rows per worker; a handful of workers share the pool). */
const MAX_PER_STATEMENT = 64

/**
 * Group commit of copy records: a copy whose send finished while another record was being written
 * waits for it, then goes with every other copy that finished meanwhile, in one statement. At a
 * low rate each copy is written at once, alone (no timer, no added latency); under load a burst
 * of sends costs one round trip instead of one per copy. One queue per pool (or transaction).
 */
class CopyRecorder {
  private readonly queue: Waiting[] = []
  private writing = false

  constructor(private readonly db: DbOrTx) {}

  record(record: CopyRecord): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ record, resolve, reject })
      if (!this.writing) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.writing = true
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_PER_STATEMENT)
        try {
          const recorded = await recordCopies(
            this.db,
            batch.map((w) => w.record),
          )
          batch.forEach((w, i) => w.resolve(recorded[i]!))
        } catch (error) {
          // Each caller retries its own record (retryTransient): a batch never fails a copy that was not in it.
          batch.forEach((w) => w.reject(error))
        }
      }
    } finally {
      this.writing = false
    }
  }
}

const recorders = new WeakMap<object, CopyRecorder>()

/**
 * Records a relayed copy on its relay link and marks its outbox row sent, in one statement shared
 * with the copies whose sends finished at the same time (see `CopyRecorder`). False when the row
 * is no longer this claim's (its lease ran out): then nothing was written for it.
 */
export function recordCopySent(db: DbOrTx, claim: CopyRecord['claim'], copy: CopyRecord['copy'], result: unknown): Promise<boolean> {
  let recorder = recorders.get(db)
  if (!recorder) recorders.set(db, (recorder = new CopyRecorder(db)))
  return recorder.record({ claim, copy, result })
}

/**
 * One UPDATE for every record: the outbox rows still held by their claims, joined to their
 * links (outbox first: with the link first, MariaDB took 6× as long under concurrency — 8
 * sessions × 250 records: 2.4 s against 0.4 s). Which records were written: all of them when
 * the statement matched two rows each (mysql2 reports matched rows), else read back (a lease
 * ran out: rare).
 */
async function recordCopies(db: DbOrTx, records: CopyRecord[]): Promise<boolean[]> {
  // In id order, as claims lock their rows: fewer lock cycles (deadlocks) with a claim running meanwhile.
  const inIdOrder = [...records].sort((a, b) => a.claim.id - b.claim.id)
  const [updated] = (await db.execute(sql`
    UPDATE (${recordsTable(inIdOrder)}) r STRAIGHT_JOIN outbox o ON o.id = r.outbox_id STRAIGHT_JOIN relay_links l ON l.id = r.link_id
    SET l.copy_message_id = r.copy_message_id, l.thread_id = r.thread_id, l.bot_id = r.bot_id, l.updated_at = CURRENT_TIMESTAMP(3),
      o.state = 'sent', o.result = r.result, o.locked_until = NULL, o.updated_at = CURRENT_TIMESTAMP(3)
    WHERE o.state = 'sending' AND o.claim_token = r.claim_token`)) as unknown as [{ affectedRows: number }]
  if (updated.affectedRows === records.length * 2) return records.map(() => true)
  // Written rows are 'sent' under their claim's token; a row another claim took carries that one's.
  const [rows] = (await db.execute(sql`
    SELECT id, claim_token AS token FROM outbox WHERE state = 'sent' AND id IN (${sqlList(records.map((r) => r.claim.id))})`)) as unknown as [
    Array<{ id: number; token: string | null }>,
  ]
  const written = new Set(rows.map((row) => `${Number(row.id)}:${row.token}`))
  return records.map((r) => written.has(`${r.claim.id}:${r.claim.token}`))
}

/** The records as a derived table (UNION ALL of one-row SELECTs: MariaDB and MySQL alike). */
function recordsTable(records: CopyRecord[]): SQL {
  return sql.join(
    records.map(
      ({ claim, copy, result }) =>
        sql`SELECT ${claim.id} AS outbox_id, ${claim.token} AS claim_token, ${copy.linkId} AS link_id, ${copy.copyMessageId} AS copy_message_id, CAST(${copy.threadId} AS SIGNED) AS thread_id, ${copy.botId} AS bot_id, ${JSON.stringify(result ?? null)} AS result`,
    ),
    sql` UNION ALL `,
  )
}
