import { asc, gte, lt } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { auditEvents } from '../../db/schema/index.js'
import { toCsv } from '../reports/csv.js'

export type AuditExportFormat = 'csv' | 'jsonl'

const COLUMNS = ['id', 'time', 'project', 'kind', 'actor_user_id', 'api_key_id', 'customer_id', 'details', 'text'] as const

/** A project's audit events in [from, to), oldest first. */
export async function auditEventsIn(db: DbOrTx, projectId: number, from: Date, to: Date) {
  return db
    .select()
    .from(auditEvents)
    .where(inProject(auditEvents, projectId, gte(auditEvents.createdAt, from), lt(auditEvents.createdAt, to)))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
}

/**
 * The export for compliance: CSV (one row per event, `details` as JSON, formula cells escaped)
 * or JSON lines (one object per event, `details` an object).
 */
export function formatAuditExport(projectKey: string, rows: Awaited<ReturnType<typeof auditEventsIn>>, format: AuditExportFormat): string {
  const records = rows.map((row) => ({
    id: row.id,
    time: row.createdAt.toISOString(),
    project: projectKey,
    kind: row.kind,
    actor_user_id: row.actorUserId,
    api_key_id: row.apiKeyId,
    customer_id: row.customerId,
    details: JSON.parse(row.details) as unknown,
    text: row.text,
  }))
  if (format === 'jsonl') return records.map((record) => `${JSON.stringify(record)}\n`).join('')
  return toCsv(
    COLUMNS,
    records.map((record) => COLUMNS.map((column) => (column === 'details' ? JSON.stringify(record.details) : record[column]))),
  )
}
