import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx, Database } from '../db/client.js'
import { messages, outbox, priorityClasses, relayLinks, topics, type PriorityClass } from '../db/schema/index.js'
import type { LinkWithMessage } from '../db/repositories/relay.js'
import { retryTransient } from '../db/errors.js'
import type { OutboxJob } from './jobs.js'
import type { ProgressStore, SendProgress } from './send-steps.js'
import { sqlList } from '../db/sql-list.js'

// The outbox's write side (what the domain queues) lives in queue.ts, delivery's contract.
export { enqueue, enqueueMany, hasWaitingJob, type EnqueueInput } from './queue.js'
// A relayed copy's record marks its row sent too, group-committed with the copies sent at the same time.
export { recordCopySent } from './copy-records.js'

export interface ClaimedJob {
  id: number
  /** The claim's token: the writes after the send change the row only while this claim holds it. */
  token: string
  projectId: number
  class: PriorityClass
  destination: string
  botId: number
  job: OutboxJob
  attempts: number
  /** What an earlier attempt already sent of this row's messages (a long text's parts…). */
  progress?: SendProgress
  /** A relay copy's link with its message and topic, read with the claim (absent when gone). */
  copy?: LinkWithMessage
}

/** The row a claim holds: its id and the claim's token. */
export type Claim = Pick<ClaimedJob, 'id' | 'token'>

/** Only the row `claim` still holds: a worker whose lease ran out and whose row another claim took changes nothing. */
const heldBy = (claim: Claim) => sql`id = ${claim.id} AND state = 'sending' AND claim_token = ${claim.token}`

/**
 * Claims up to `limit` due rows of a priority class, then reads back what it took.
 * A row is due when it is the oldest unfinished row of its destination (per-destination order, even
 * across retries) and its parent, if any, was sent. Several workers and processes share a class:
 * each claim marks its rows with its own token, and rows another claim took no longer match.
 * The due rows are found by a plain read, which locks nothing: a claim that read them with locks
 * (an UPDATE joined to its own due check) waited for every transaction writing a row it looked
 * at, and deadlocked with the other claims that read the same rows. Only the update locks, and
 * only the rows it takes, in id order. For the job types in `linkPrefetching` (the registry's
 * `prefetch: 'link'` modules: relay copies), the read-back also reads the link the job's `linkId`
 * names, its message and topic, so a batch of copies costs no further read before its sends.
 */
export async function claimJobs(db: Database, priorityClass: PriorityClass, limit: number, leaseSeconds = 60, linkPrefetching: readonly string[] = []): Promise<ClaimedJob[]> {
  const candidates = await retryTransient(() => dueRows(db, priorityClass, limit * CANDIDATES_PER_ROW))
  if (candidates.length === 0) return []
  const token = randomUUID().replaceAll('-', '')
  // Another claim may have taken some candidates since the read: the state check passes them
  // over (a claim still updating one is waited for, briefly), and the next candidates fill in.
  const [claimed] = (await retryTransient(() =>
    db.execute(sql`
      UPDATE outbox SET state = 'sending', attempts = attempts + 1, claim_token = ${token}, claimed_by = @topicdesk_instance,
        locked_until = CURRENT_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND
      WHERE id IN (${sqlList(candidates)}) AND state = 'pending' AND next_attempt_at <= CURRENT_TIMESTAMP(3)
      ORDER BY id
      LIMIT ${limit}`),
  )) as unknown as [{ affectedRows: number }]
  if (claimed.affectedRows === 0) return []
  const rows = await readBack(db, priorityClass, token, linkPrefetching)
  // The due rows were read in a snapshot taken before the update: a transaction committing in
  // between (a replay of 200 rows, say) could hand out several rows of one destination at once,
  // or one behind an earlier row. This fresh read keeps only each destination's earliest.
  const early = rows.filter((row) => Number(row.first) !== row.row.id).map((row) => row.row.id)
  if (early.length > 0) await retryTransient(() => unclaim(db, early, token))
  return rows
    .filter((row) => Number(row.first) === row.row.id)
    .map(({ row, link, message, topic }) => ({
      id: row.id,
      token,
      projectId: row.projectId,
      class: row.class,
      destination: row.destination,
      botId: row.botId,
      job: JSON.parse(row.job) as OutboxJob,
      attempts: row.attempts,
      ...progressOf(row.result),
      ...(link && message ? { copy: { link, message, topic } } : {}),
    }))
}

/** Candidates read per row a claim may take: what another claim took meanwhile leaves the rest. */
const CANDIDATES_PER_ROW = 2

/**
 * The ids of a class's due rows, in id order: a consistent read, no locks. Each check is an index
 * lookup: the class's waiting rows in id order (`outbox_due_idx`, forced: the optimizer would
 * rather walk the primary key through the sent history), the destination's first waiting row,
 * any row of it being sent, the parent. Reads per claim do not grow with history or backlog.
 */
async function dueRows(db: Database, priorityClass: PriorityClass, limit: number): Promise<number[]> {
  const [rows] = (await db.execute(sql`
    SELECT o.id FROM outbox o FORCE INDEX (outbox_due_idx)
    WHERE o.state = 'pending' AND o.class = ${priorityClass} AND o.next_attempt_at <= CURRENT_TIMESTAMP(3)
      AND o.id = (${firstOfDestination('o', 'pending')})
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.destination = o.destination AND p.state = 'sending' AND p.id < o.id)
      AND (o.depends_on IS NULL OR EXISTS (
        SELECT 1 FROM outbox d WHERE d.id = o.depends_on AND d.state IN ('sent', 'dead')))
    ORDER BY o.id
    LIMIT ${limit}`)) as unknown as [Array<{ id: number | string }>]
  return rows.map((row) => Number(row.id))
}

/** The id of a destination's first row in `state` (one read of `outbox_destination_idx`; MIN() read every one). */
function firstOfDestination(row: 'o' | 'outbox', state: 'pending' | 'sending') {
  return sql`SELECT p.id FROM outbox p FORCE INDEX (outbox_destination_idx) WHERE p.destination = ${sql.raw(row)}.destination AND p.state = ${state} ORDER BY p.id LIMIT 1`
}

/**
 * What a claim took, with the first unfinished row of each destination and, for a job type in
 * `linkPrefetching`, its link, message and topic. When those cannot be read (a table under repair,
 * say), the rows alone: the other jobs go on, and each copy reads its link itself (and reports what is wrong).
 */
async function readBack(db: Database, priorityClass: PriorityClass, token: string, linkPrefetching: readonly string[]) {
  // Spelled out: the subquery's outer reference and the job's fields, on MariaDB 10.11 and MySQL 8.0.21+.
  const first = sql<number>`LEAST(COALESCE((${firstOfDestination('outbox', 'pending')}), outbox.id), COALESCE((${firstOfDestination('outbox', 'sending')}), outbox.id))`
  const claimedRows = and(eq(outbox.state, 'sending'), eq(outbox.class, priorityClass), eq(outbox.claimToken, token))
  const prefetching = sqlList(linkPrefetching)
  const copyLinkId = sql`IF(JSON_VALUE(outbox.job, '$.type') IN (${prefetching}), CAST(JSON_VALUE(outbox.job, '$.linkId') AS UNSIGNED), NULL)`
  if (linkPrefetching.length > 0) {
    try {
      return await retryTransient(() =>
        db
          .select({ row: outbox, first, link: relayLinks, message: messages, topic: topics })
          .from(outbox)
          .leftJoin(relayLinks, eq(relayLinks.id, copyLinkId))
          .leftJoin(messages, eq(messages.id, relayLinks.messageId))
          .leftJoin(topics, eq(topics.id, relayLinks.topicId))
          .where(claimedRows)
          .orderBy(outbox.id),
      )
    } catch {
      // The rows alone, below.
    }
  }
  const rows = await retryTransient(() => db.select({ row: outbox, first }).from(outbox).where(claimedRows).orderBy(outbox.id))
  return rows.map((row) => ({ ...row, link: null, message: null, topic: null }))
}

/** Puts rows a claim took out of turn back in line, as if never claimed. */
async function unclaim(db: DbOrTx, ids: number[], token: string): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET state = 'pending', attempts = GREATEST(attempts, 1) - 1, locked_until = NULL
    WHERE claim_token = ${token} AND state = 'sending' AND id IN (${sqlList(ids)})`)
}

/**
 * When each class's earliest waiting row is due, in ms from now on the database's clock (0: due,
 * though perhaps behind an earlier row of its destination); classes with nothing waiting are absent.
 * One read of the claim index per class: what lets idle workers sleep instead of claiming.
 */
export async function classDueTimes(db: DbOrTx): Promise<Map<PriorityClass, number>> {
  // One MIN per class: each is a single read of `outbox_claim_idx` (a GROUP BY walked every waiting row).
  const perClass = priorityClasses.map(
    (priorityClass) =>
      sql`SELECT ${priorityClass} AS class, TIMESTAMPDIFF(MICROSECOND, CURRENT_TIMESTAMP(3), MIN(next_attempt_at)) AS wait_us FROM outbox WHERE state = 'pending' AND class = ${priorityClass}`,
  )
  const [rows] = (await db.execute(sql.join(perClass, sql` UNION ALL `))) as unknown as [Array<{ class: PriorityClass; wait_us: number | string | null }>]
  return new Map(rows.filter((row) => row.wait_us !== null).map((row) => [row.class, Math.max(0, Math.ceil(Number(row.wait_us) / 1000))]))
}

/** A row not yet sent keeps only its progress in `result`; markSent overwrites it with the outcome. */
function progressOf(result: unknown): { progress?: SendProgress } {
  if (typeof result !== 'string') return {}
  const parsed = JSON.parse(result) as { progress?: SendProgress } | null
  return parsed?.progress ? { progress: parsed.progress } : {}
}

/** The row's record of what earlier attempts sent, so a retry resumes where the last one failed. */
export function progressStoreOf(db: DbOrTx, claimed: ClaimedJob): ProgressStore {
  return { done: claimed.progress ?? { sent: 0 }, save: (progress) => saveProgress(db, claimed, progress) }
}

/** Records how far a row's send got, so the next attempt resumes there (only while its worker holds it). */
export async function saveProgress(db: DbOrTx, claim: Claim, progress: SendProgress): Promise<void> {
  await db.execute(sql`UPDATE outbox SET result = ${JSON.stringify({ progress })} WHERE ${heldBy(claim)}`)
}

/** A job's result whose row was marked sent by the same statement that recorded what it produced. */
export class SentRecorded {
  constructor(readonly result: unknown) {}
}

/** Records a send's result, while the claim still holds the row. */
export async function markSent(db: DbOrTx, claim: Claim, result: unknown): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET state = 'sent', result = ${JSON.stringify(result ?? null)}, locked_until = NULL, updated_at = CURRENT_TIMESTAMP(3)
    WHERE ${heldBy(claim)}`)
}

/** Puts a row back in line for a later attempt; it keeps blocking its destination meanwhile. */
export async function reschedule(db: DbOrTx, claim: Claim, delayMs: number, error: string): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET state = 'pending', locked_until = NULL, last_error = ${error.slice(0, 2000)},
      next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ${Math.max(0, Math.round(delayMs)) * 1000} MICROSECOND
    WHERE ${heldBy(claim)}`)
}

/** Not sent for lack of budget (or a bot that cannot send yet, `error` saying why): back in line, and the claim does not count as an attempt. */
export async function defer(db: DbOrTx, claim: Claim, delayMs: number, error?: string): Promise<void> {
  const why = error === undefined ? sql`` : sql`last_error = ${error.slice(0, 2000)},`
  await db.execute(sql`
    UPDATE outbox SET state = 'pending', locked_until = NULL, attempts = GREATEST(attempts, 1) - 1, ${why}
      next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ${Math.max(0, Math.round(delayMs)) * 1000} MICROSECOND
    WHERE ${heldBy(claim)}`)
}

/** Why a row refused with 401 waits (its `last_error` starts so): a new token makes it due at once (`dueWithNewToken`). */
export const TOKEN_WAIT = 'waiting for a new bot token'

/**
 * A bot got a new token (a reload): the rows waiting for one are due now, not at the end of their
 * wait. Every bot's (a pool's row may have been refused on another bot than its own): a row
 * whose bot is still refused waits again.
 */
export async function dueWithNewToken(db: DbOrTx): Promise<number> {
  const [result] = (await db.execute(sql`
    UPDATE outbox SET next_attempt_at = CURRENT_TIMESTAMP(3)
    WHERE state = 'pending' AND last_error LIKE ${`${TOKEN_WAIT}%`} AND next_attempt_at > CURRENT_TIMESTAMP(3)`)) as unknown as [{ affectedRows: number }]
  return result.affectedRows
}

/** A permanent failure: recorded once, never retried automatically (the dead letter list). */
export async function markDead(db: DbOrTx, claim: Claim, error: string): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET state = 'dead', last_error = ${error.slice(0, 2000)}, locked_until = NULL, updated_at = CURRENT_TIMESTAMP(3)
    WHERE ${heldBy(claim)}`)
}

/** Extends the lease of a row its worker is still sending (a large upload can outlast one lease). */
export async function renewLease(db: DbOrTx, claim: Claim, leaseSeconds: number): Promise<void> {
  await db.execute(sql`
    UPDATE outbox SET locked_until = CURRENT_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND
    WHERE ${heldBy(claim)}`)
}

/**
 * Rows whose worker died mid-send (lease expired) go back to pending at start-up and periodically.
 * Found by a plain read first: an UPDATE walking every row being sent locked each one it looked
 * at, and deadlocked with the records of copies sent meanwhile.
 */
export async function releaseExpiredLeases(db: DbOrTx): Promise<number> {
  const [expired] = (await db.execute(sql`
    SELECT id FROM outbox WHERE state = 'sending' AND locked_until < CURRENT_TIMESTAMP(3)`)) as unknown as [Array<{ id: number | string }>]
  if (expired.length === 0) return 0
  const [result] = (await db.execute(sql`
    UPDATE outbox SET state = 'pending', locked_until = NULL
    WHERE id IN (${sqlList(expired.map((row) => Number(row.id)))}) AND state = 'sending' AND locked_until < CURRENT_TIMESTAMP(3)`)) as unknown as [{ affectedRows: number }]
  return result.affectedRows
}
