import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx, Database } from '../db/client.js'
import { outbox, type Lane } from '../db/schema/index.js'
import { retryTransient } from '../db/errors.js'
import type { OutboxJob } from './jobs.js'
import type { ProgressStore, SendProgress } from './send-steps.js'

export interface EnqueueInput {
  projectId: number
  lane: Lane
  destination: string
  botId: number
  job: OutboxJob
  dependsOn?: number
  /** Hold the row back this long (album parts wait for their siblings). */
  delayMs?: number
}

/** Adds one job to the outbox inside the caller's transaction; returns its row id. */
export async function enqueue(tx: DbOrTx, input: EnqueueInput): Promise<number> {
  const [result] = await tx.insert(outbox).values({
    projectId: input.projectId,
    lane: input.lane,
    destination: input.destination,
    botId: input.botId,
    job: JSON.stringify(input.job),
    dependsOn: input.dependsOn,
    ...(input.delayMs ? { nextAttemptAt: new Date(Date.now() + input.delayMs) } : {}),
  })
  return Number(result.insertId)
}

/**
 * Whether a row with exactly this job still waits, unclaimed, for this destination. It is locked
 * until the caller commits, so no worker claims it meanwhile; a row being claimed or sent does not
 * count (it may have read the content before the caller's change), so nothing is ever lost.
 */
export async function hasWaitingJob(tx: DbOrTx, destination: string, job: OutboxJob): Promise<boolean> {
  const [rows] = (await tx.execute(sql`
    SELECT id FROM outbox
    WHERE destination = ${destination} AND state = 'pending' AND job = ${JSON.stringify(job)}
    LIMIT 1
    FOR UPDATE SKIP LOCKED`)) as unknown as [Array<{ id: number }>]
  return rows.length > 0
}

export interface ClaimedJob {
  id: number
  projectId: number
  lane: Lane
  destination: string
  botId: number
  job: OutboxJob
  attempts: number
  /** What an earlier attempt already sent of this row's messages (a long text's parts…). */
  progress?: SendProgress
}

/**
 * Claims up to `limit` due rows of a lane. A row is due when it is the oldest unfinished row of
 * its destination (per-destination order, even across retries) and its parent, if any, was
 * sent. SKIP LOCKED lets several workers and processes share a lane without double sends.
 */
export async function claimJobs(db: Database, lane: Lane, limit: number, leaseSeconds = 60): Promise<ClaimedJob[]> {
  // READ COMMITTED takes no gap locks, which keeps concurrent claims and inserts from deadlocking;
  // a deadlock that still happens is retried.
  return retryTransient(() =>
    db.transaction(
      async (tx) => {
        const [rows] = (await tx.execute(sql`
      SELECT o.id, o.project_id, o.lane, o.destination, o.bot_id, o.job, o.attempts, o.result
      FROM outbox o
      WHERE o.state = 'pending' AND o.lane = ${lane} AND o.next_attempt_at <= CURRENT_TIMESTAMP(3)
        AND NOT EXISTS (
          SELECT 1 FROM outbox p
          WHERE p.destination = o.destination AND p.id < o.id AND p.state IN ('pending', 'sending'))
        AND (o.depends_on IS NULL OR EXISTS (
          SELECT 1 FROM outbox d WHERE d.id = o.depends_on AND d.state IN ('sent', 'dead')))
      ORDER BY o.id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`)) as unknown as [Array<Record<string, unknown>>]
        if (rows.length === 0) return []
        const claimable = await firstOfTheirDestinations(tx, rows)
        if (claimable.length === 0) return []
        const ids = claimable.map((row) => Number(row.id))
        await tx.execute(sql`
      UPDATE outbox SET state = 'sending', attempts = attempts + 1,
        locked_until = CURRENT_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND
      WHERE id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`)
        return claimable.map((row) => ({
          id: Number(row.id),
          projectId: Number(row.project_id),
          lane: row.lane as Lane,
          destination: String(row.destination),
          botId: Number(row.bot_id),
          job: JSON.parse(String(row.job)) as OutboxJob,
          attempts: Number(row.attempts) + 1,
          ...progressOf(row.result),
        }))
      },
      { isolationLevel: 'read committed' },
    ),
  )
}

/**
 * The scan's NOT EXISTS reads a snapshot taken when the statement began, while its locking
 * part sees rows committed since: a transaction committing in between (a replay of 200 rows,
 * say) could hand out several rows of one destination at once. So keep, per destination, only
 * a row that is the earliest unfinished one as a fresh read sees it now.
 */
async function firstOfTheirDestinations(tx: DbOrTx, rows: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const lowest = new Map<string, Record<string, unknown>>()
  for (const row of rows) if (!lowest.has(String(row.destination))) lowest.set(String(row.destination), row)
  const destinations = [...lowest.keys()]
  const [firsts] = (await tx.execute(sql`
    SELECT destination, MIN(id) AS first FROM outbox
    WHERE state IN ('pending', 'sending') AND destination IN (${sql.join(
      destinations.map((d) => sql`${d}`),
      sql`, `,
    )})
    GROUP BY destination`)) as unknown as [Array<{ destination: string; first: number | string }>]
  const firstOf = new Map(firsts.map((f) => [f.destination, Number(f.first)]))
  return [...lowest.values()].filter((row) => firstOf.get(String(row.destination)) === Number(row.id))
}

/** A row not yet sent keeps only its progress in `result`; markSent overwrites it with the outcome. */
function progressOf(result: unknown): { progress?: SendProgress } {
  if (typeof result !== 'string') return {}
  const parsed = JSON.parse(result) as { progress?: SendProgress } | null
  return parsed?.progress ? { progress: parsed.progress } : {}
}

/** The row's record of what earlier attempts sent, so a retry resumes where the last one failed. */
export function progressStoreOf(db: DbOrTx, claimed: ClaimedJob): ProgressStore {
  return { done: claimed.progress ?? { sent: 0 }, save: (progress) => saveProgress(db, claimed.id, progress) }
}

/** Records how far a row's send got, so the next attempt resumes there (only while its worker holds it). */
export async function saveProgress(db: DbOrTx, id: number, progress: SendProgress): Promise<void> {
  await db
    .update(outbox)
    .set({ result: JSON.stringify({ progress }) })
    .where(and(eq(outbox.id, id), eq(outbox.state, 'sending')))
}

export async function markSent(db: DbOrTx, id: number, result: unknown): Promise<void> {
  await db
    .update(outbox)
    .set({ state: 'sent', result: JSON.stringify(result ?? null), lockedUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.state, 'sending')))
}

/** Puts a row back in line for a later attempt; it keeps blocking its destination meanwhile. */
export async function reschedule(db: DbOrTx, id: number, delayMs: number, error: string): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET state = 'pending', locked_until = NULL, last_error = ${error.slice(0, 2000)},
      next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ${Math.max(0, Math.round(delayMs)) * 1000} MICROSECOND
    WHERE id = ${id}`)
}

/** Not sent for lack of budget: back in line, and the claim does not count as an attempt. */
export async function defer(db: DbOrTx, id: number, delayMs: number): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET state = 'pending', locked_until = NULL, attempts = GREATEST(attempts, 1) - 1,
      next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ${Math.max(0, Math.round(delayMs)) * 1000} MICROSECOND
    WHERE id = ${id}`)
}

/** A permanent failure: recorded once, never retried automatically (the dead letter list). */
export async function markDead(db: DbOrTx, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ state: 'dead', lastError: error.slice(0, 2000), lockedUntil: null })
    .where(eq(outbox.id, id))
}

/** Extends the lease of a row its worker is still sending (a large upload can outlast one lease). */
export async function renewLease(db: DbOrTx, id: number, leaseSeconds: number): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET locked_until = CURRENT_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND
    WHERE id = ${id} AND state = 'sending'`)
}

/** Rows whose worker died mid-send (lease expired) go back to pending at start-up and periodically. */
export async function releaseExpiredLeases(db: DbOrTx): Promise<number> {
  const [result] = (await db.execute(sql`
    UPDATE outbox SET state = 'pending', locked_until = NULL
    WHERE state = 'sending' AND locked_until < CURRENT_TIMESTAMP(3)`)) as unknown as [{ affectedRows: number }]
  return result.affectedRows
}
