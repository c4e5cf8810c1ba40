import { and, asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { assignmentLog, type AssignmentAction } from '../db/schema/index.js'
import { staffMember, type ProjectRuntime } from './project-runtime.js'

export interface AssignmentChange {
  projectId: number
  customerId: number
  action: AssignmentAction
  fromTeam?: string | null
  toTeam?: string | null
  fromOwner?: number | null
  toOwner?: number | null
  actorUserId?: number | null
  reason: string
  /** Free text a person gave (`/transfer <reason>`). */
  note?: string | null
}

/** Records who changed a customer's assignment, when, from where to where and why. */
export async function logAssignment(tx: DbOrTx, change: AssignmentChange): Promise<void> {
  await tx.insert(assignmentLog).values(change)
}

/** The assignment history of a customer as lines for `/history`. */
export async function assignmentHistory(db: DbOrTx, project: ProjectRuntime, customerId: number): Promise<string[]> {
  const rows = await db
    .select()
    .from(assignmentLog)
    .where(and(eq(assignmentLog.projectId, project.id), eq(assignmentLog.customerId, customerId)))
    .orderBy(asc(assignmentLog.id))
  return rows.map((row) => {
    const when = `${row.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    const who = row.actorUserId ? (staffMember(project, row.actorUserId)?.name ?? `user ${row.actorUserId}`) : 'system'
    const move = row.fromTeam || row.toTeam ? ` ${row.fromTeam ?? '—'} → ${row.toTeam ?? '—'}` : ''
    return `${when} · ${row.action.replace('_', ' ')}${move} · by ${who} (${row.reason})`
  })
}
