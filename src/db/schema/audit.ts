import { sql } from 'drizzle-orm'
import { datetime, index, mysqlTable, text, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, telegramId } from './columns.js'

/** What an audit event records (the typed events are in `src/domain/audit/events.ts`). */
export const auditKinds = ['assignment', 'transfer', 'ban', 'unban', 'delete', 'api_write', 'risk_hit', 'risk_phrase_change', 'broadcast'] as const
export type AuditKind = (typeof auditKinds)[number]

/**
 * The audit trail for compliance: one row per audited change, written in the change's own
 * transaction. `details` is the event's JSON (ids, teams, actions: no personal data); `text` is
 * the one free text it carries (a transfer's reason, a deleted or API-written message, a risk
 * hit's text), erased by `forget`.
 */
export const auditEvents = mysqlTable(
  'audit_events',
  {
    id: primaryId(),
    ...projectScope,
    kind: varchar('kind', { length: 24, enum: auditKinds }).notNull(),
    /** The staff member who acted (or in whose name an API key acted); null for the system. */
    actorUserId: telegramId('actor_user_id'),
    /** The admin API key that made the change (api_write). */
    apiKeyId: rowId('api_key_id'),
    customerId: rowId('customer_id'),
    details: text('details').notNull(),
    text: text('text'),
    /** When it happened (the database's clock unless the writer gives its own). */
    createdAt: datetime('created_at', { mode: 'date', fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [index('audit_events_project_time_idx').on(t.projectId, t.createdAt), index('audit_events_customer_idx').on(t.customerId)],
)
