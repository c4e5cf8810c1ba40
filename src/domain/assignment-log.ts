import { asc, eq } from 'drizzle-orm'
import { inProject } from '../db/project-scope.js'
import type { DbOrTx } from '../db/client.js'
import { assignmentLog, conversationRatings, type AssignmentAction } from '../db/schema/index.js'
import { auditOfAssignment, recordAudit } from './audit/events.js'
import { staffMember, textsOf, type ProjectRuntime } from './project-runtime.js'
import { BUILT_IN_TEXTS, type Texts } from '../texts/index.js'

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

/** What happened, in words: the team move, the owner change ("owner Rita → Ben", "owner → Rita", "owner Rita → queue"), the rating of a resolution. */
function describeAction(row: LogRow, rating: number | null, nameOf: (userId: number) => string, t: Texts): string {
  switch (row.action) {
    case 'owner_changed':
      return t.staff('historyOwnerChange', {
        hasFrom: row.fromOwner ? 'yes' : 'no',
        from: row.fromOwner ? nameOf(row.fromOwner) : '',
        hasTo: row.toOwner ? 'yes' : 'no',
        to: row.toOwner ? nameOf(row.toOwner) : '',
      })
    case 'queued':
      return t.staff('historyQueued')
    case 'resolved':
      return rating === null ? t.staff('historyResolved') : t.staff('historyResolvedRated', { rating })
    default: {
      const move = row.fromTeam || row.toTeam ? t.staff('historyMove', { from: row.fromTeam ?? '—', to: row.toTeam ?? '—' }) : ''
      return `${t.staff('historyAction', { action: row.action })}${move}`
    }
  }
}

/**
 * One `/history` line: "2026-11-26 14:02 UTC · owner Rita → Ben · by Alice (command): on holiday".
 * Who acted: the roster's name (else the id), the client for a reopening by their message, the system otherwise.
 */
export function historyLine(row: LogRow, rating: number | null, nameOf: (userId: number) => string, t: Texts = BUILT_IN_TEXTS): string {
  const when = t.staff('utcStamp', { stamp: row.createdAt.toISOString().slice(0, 16).replace('T', ' ') })
  const who = row.actorUserId ? nameOf(row.actorUserId) : t.staff(row.action === 'reopened' && row.reason === 'client_message' ? 'historyByClient' : 'historyBySystem')
  // The reason is a stored code ("no_agent", "transfer"), shown as words.
  const args = { when, action: describeAction(row, rating, nameOf, t), who, reason: row.reason.replaceAll('_', ' '), hasNote: row.note ? 'yes' : 'no', note: row.note ?? '' }
  return t.staff('historyLine', args)
}

/** The assignment history of a customer as lines for `/history` (and the admin API), with the client's ratings. */
export async function assignmentHistory(db: DbOrTx, project: ProjectRuntime, customerId: number): Promise<string[]> {
  const rows = await db
    .select({ row: assignmentLog, rating: conversationRatings.rating })
    .from(assignmentLog)
    .leftJoin(conversationRatings, inProject(conversationRatings, project.id, eq(conversationRatings.resolutionId, assignmentLog.id)))
    .where(inProject(assignmentLog, project.id, eq(assignmentLog.customerId, customerId)))
    .orderBy(asc(assignmentLog.id))
  const t = textsOf(project)
  const nameOf = (userId: number) => staffMember(project, userId)?.name ?? t.staff('userById', { id: userId })
  return rows.map(({ row, rating }) => historyLine(row, rating, nameOf, t))
}
