import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { outbox, type PriorityClass } from '../db/schema/index.js'
import { projectRow } from '../db/project-scope.js'
import type { OutboxJob } from './jobs.js'

// The outbox's write side, part of delivery's contract with the domain (ARCHITECTURE.md): rows
// are added inside the caller's transaction; claiming and sending them is delivery's own business.

export interface EnqueueInput {
  projectId: number
  class: PriorityClass
  destination: string
  botId: number
  job: OutboxJob
  dependsOn?: number
  /** Hold the row back this long (album parts wait for their siblings). */
  delayMs?: number
  /** The broadcast the row sends (counted and cancelled by it). */
  broadcastId?: number
}

/** Adds one job to the outbox inside the caller's transaction; returns its row id. */
export async function enqueue(tx: DbOrTx, input: EnqueueInput): Promise<number> {
  const [result] = await tx.insert(outbox).values(outboxRow(input))
  return Number(result.insertId)
}

/** Adds several jobs in one multi-row insert (the copies of one message): one round trip, not one per row. */
export async function enqueueMany(tx: DbOrTx, inputs: EnqueueInput[]): Promise<void> {
  if (inputs.length > 0) await tx.insert(outbox).values(inputs.map(outboxRow))
}

function outboxRow(input: EnqueueInput) {
  return projectRow(outbox, input.projectId, {
    class: input.class,
    destination: input.destination,
    botId: input.botId,
    job: JSON.stringify(input.job),
    dependsOn: input.dependsOn,
    ...(input.broadcastId !== undefined ? { broadcastId: input.broadcastId } : {}),
    ...(input.delayMs ? { nextAttemptAt: new Date(Date.now() + input.delayMs) } : {}),
  })
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
