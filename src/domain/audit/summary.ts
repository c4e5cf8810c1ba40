import { count, desc, gte, lt } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { auditEvents, type AuditKind } from '../../db/schema/index.js'
import { memberName, textsOf, type ProjectRuntime } from '../project-runtime.js'

export interface AuditSummary {
  total: number
  byKind: { kind: AuditKind; count: number }[]
  /** Per actor: a staff member (by Telegram id), or the system (null); most first. */
  byActor: { actorUserId: number | null; count: number }[]
}

/** Counts of a project's audit events in [from, to) by kind and by who acted. */
export async function auditSummary(db: DbOrTx, projectId: number, from: Date, to: Date): Promise<AuditSummary> {
  const inPeriod = inProject(auditEvents, projectId, gte(auditEvents.createdAt, from), lt(auditEvents.createdAt, to))
  const byKind = await db.select({ kind: auditEvents.kind, count: count() }).from(auditEvents).where(inPeriod).groupBy(auditEvents.kind).orderBy(desc(count()), auditEvents.kind)
  const byActor = await db
    .select({ actorUserId: auditEvents.actorUserId, count: count() })
    .from(auditEvents)
    .where(inPeriod)
    .groupBy(auditEvents.actorUserId)
    .orderBy(desc(count()), auditEvents.actorUserId)
  return { total: byKind.reduce((sum, row) => sum + row.count, 0), byKind, byActor }
}

/** `/audit`'s answer: the total, then "assignments 3 · transfers 1" and "system 3 · Alice 2" (most first, then by name). */
export function auditSummaryText(project: ProjectRuntime, summary: AuditSummary, days: number): string {
  const t = textsOf(project)
  if (summary.total === 0) return t.staff('auditEmpty', { days })
  const kinds = summary.byKind.map((row) => t.staff('auditCount', { name: t.staff('auditKind', { kind: row.kind }), count: row.count })).join(' · ')
  const actors = summary.byActor
    .map((row) => ({ name: row.actorUserId === null ? t.staff('historyBySystem') : memberName(project, row.actorUserId), count: row.count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .map((row) => t.staff('auditCount', row))
    .join(' · ')
  return [t.staff('auditTitle', { days, total: summary.total }), t.staff('auditByKind', { kinds }), t.staff('auditByAgent', { agents: actors })].join('\n')
}
