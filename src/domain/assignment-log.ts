import { and, asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { assignmentLog, conversationRatings, type AssignmentAction } from '../db/schema/index.js'
import { auditOfAssignment, recordAudit } from './audit/events.js'
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

/**
 * Records who changed a customer's assignment, when, from where to where and why, and its audit
 * event (assignments, transfers, bans) in the same transaction; returns the row's id (a
 * resolution is rated by it).
 */
export async function logAssignment(tx: DbOrTx, change: AssignmentChange): Promise<number> {
  const [result] = await tx.insert(assignmentLog).values(change)
  const audit = auditOfAssignment(change)
  if (audit) await recordAudit(tx, change.projectId, audit)
  return result.insertId
}

type LogRow = typeof assignmentLog.$inferSelect

/** "owner Rita → Ben", "owner → Rita" (a first owner), "owner Rita → queue"; names from the roster, else the id. */
function ownerChange(row: Pick<LogRow, 'fromOwner' | 'toOwner'>, nameOf: (userId: number) => string): string {
  const from = row.fromOwner ? ` ${nameOf(row.fromOwner)}` : ''
  return `owner${from} → ${row.toOwner ? nameOf(row.toOwner) : 'queue'}`
}

/** What happened, in words: the team move, the owner change, the rating of a resolution. */
function describeAction(row: LogRow, rating: number | null, nameOf: (userId: number) => string): string {
  switch (row.action) {
    case 'owner_changed':
      return ownerChange(row, nameOf)
    case 'queued':
      return 'queued for an owner'
    case 'resolved':
      return rating === null ? 'resolved' : `resolved, rated ${rating}/5`
    default: {
      const move = row.fromTeam || row.toTeam ? ` ${row.fromTeam ?? '—'} → ${row.toTeam ?? '—'}` : ''
      return `${row.action.replace('_', ' ')}${move}`
    }
  }
}

/**
 * One `/history` line: "2026-11-26 14:02 UTC · owner Rita → Ben · by Alice (command): on holiday".
 * Who acted: the roster's name (else the id), the client for a reopening by their message, the system otherwise.
 */
export function historyLine(row: LogRow, rating: number | null, nameOf: (userId: number) => string): string {
  const when = `${row.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const who = row.actorUserId ? nameOf(row.actorUserId) : row.action === 'reopened' && row.reason === 'client_message' ? 'the client' : 'system'
  const note = row.note ? `: ${row.note}` : ''
  return `${when} · ${describeAction(row, rating, nameOf)} · by ${who} (${row.reason.replaceAll('_', ' ')})${note}`
}

/** The assignment history of a customer as lines for `/history` (and the admin API), with the client's ratings. */
export async function assignmentHistory(db: DbOrTx, project: ProjectRuntime, customerId: number): Promise<string[]> {
  const rows = await db
    .select({ row: assignmentLog, rating: conversationRatings.rating })
    .from(assignmentLog)
    .leftJoin(conversationRatings, and(eq(conversationRatings.projectId, project.id), eq(conversationRatings.resolutionId, assignmentLog.id)))
    .where(and(eq(assignmentLog.projectId, project.id), eq(assignmentLog.customerId, customerId)))
    .orderBy(asc(assignmentLog.id))
  const nameOf = (userId: number) => staffMember(project, userId)?.name ?? `user ${userId}`
  return rows.map(({ row, rating }) => historyLine(row, rating, nameOf))
}
