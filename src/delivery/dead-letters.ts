import { and, desc, eq, sql } from 'drizzle-orm'
import { inProject } from '../db/project-scope.js'
import type { DbOrTx } from '../db/client.js'
import { outbox } from '../db/schema/index.js'

export interface DeadLetter {
  id: number
  projectId: number
  class: string
  destination: string
  jobType: string
  attempts: number
  lastError: string | null
  updatedAt: Date
}

/** Rows that failed permanently or ran out of attempts, newest first. */
export async function listDeadLetters(db: DbOrTx, options: { projectId?: number; limit?: number } = {}): Promise<DeadLetter[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(options.projectId === undefined ? eq(outbox.state, 'dead') : inProject(outbox, options.projectId, eq(outbox.state, 'dead')))
    .orderBy(desc(outbox.id))
    .limit(options.limit ?? 20)
  return rows.map((row) => ({
    id: row.id,
    projectId: row.projectId,
    class: row.class,
    destination: row.destination,
    jobType: (JSON.parse(row.job) as { type: string }).type,
    attempts: row.attempts,
    lastError: row.lastError,
    updatedAt: row.updatedAt,
  }))
}

/** Puts a dead row back in line with a fresh attempt budget; false when it is not dead (or not in the project). */
export async function retryDeadLetter(db: DbOrTx, id: number, projectId?: number): Promise<boolean> {
  const [result] = await db
    .update(outbox)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: sql`CURRENT_TIMESTAMP(3)`, lockedUntil: null })
    .where(projectId === undefined ? and(eq(outbox.id, id), eq(outbox.state, 'dead')) : inProject(outbox, projectId, eq(outbox.id, id), eq(outbox.state, 'dead')))
  return result.affectedRows === 1
}

export function describeDeadLetter(letter: DeadLetter): string {
  return `#${letter.id} ${letter.jobType} → ${letter.destination} (${letter.class}, ${letter.attempts} attempts): ${letter.lastError ?? 'no error recorded'}`
}
