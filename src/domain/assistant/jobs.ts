import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { assistantJobs } from '../../db/schema/index.js'
import type { ProjectRuntime } from '../project-runtime.js'

/** A piece of assistant work: its handler's kind (`src/assistant/jobs/index.ts`) and what it needs (JSON). */
export interface AssistantJobRequest {
  kind: string
  payload: unknown
  /** Not before (absent: at once, by the database's clock). */
  dueAt?: Date
  /** The customer it is about (a payload quoting their messages): `customer forget` erases it. */
  customerId?: number
}

/**
 * Queues assistant work inside the caller's transaction: it runs only if the transaction commits,
 * and the assistant worker runs it later, so nothing in the domain waits on a provider.
 * Returns the job's id.
 */
export async function queueAssistantJob(tx: DbOrTx, project: Pick<ProjectRuntime, 'id'>, job: AssistantJobRequest): Promise<number> {
  const [result] = await tx
    .insert(assistantJobs)
    .values({ projectId: project.id, customerId: job.customerId, kind: job.kind, payload: JSON.stringify(job.payload ?? null), dueAt: job.dueAt })
  return Number(result.insertId)
}

/** Whether a project has an assistant at all (its config's merged `assistant`): no assistant, no jobs. */
export function hasAssistant(project: Pick<ProjectRuntime, 'config'>): boolean {
  return project.config.assistant !== undefined
}

/**
 * Deletes finished assistant jobs (done or failed) older than `olderThanDays`: their payloads may
 * quote messages, and their handlers keep what lasts in records of their own. Returns the count.
 */
export async function pruneAssistantJobs(db: DbOrTx, olderThanDays: number): Promise<number> {
  const [result] = await db.execute(sql`DELETE FROM assistant_jobs WHERE state IN ('done', 'failed') AND updated_at < UTC_TIMESTAMP(3) - INTERVAL ${olderThanDays} DAY LIMIT 10000`)
  return (result as { affectedRows: number }).affectedRows
}

/**
 * `customer forget`: the customer's assistant jobs lose their payload and result; one not run yet
 * never runs (`outcome` forgotten). Returns how many jobs were touched.
 */
export async function forgetAssistantJobs(tx: DbOrTx, projectId: number, customerId: number): Promise<number> {
  const [result] = await tx.execute(sql`
    UPDATE assistant_jobs
    SET payload = '{}', result = NULL,
        outcome = CASE WHEN state IN ('pending', 'running') THEN 'forgotten' ELSE outcome END,
        state = CASE WHEN state IN ('pending', 'running') THEN 'failed' ELSE state END
    WHERE project_id = ${projectId} AND customer_id = ${customerId}`)
  return (result as { affectedRows: number }).affectedRows
}
