import type { DbOrTx } from '../../db/client.js'
import { auditEvents, type AssignmentAction, type AuditKind } from '../../db/schema/index.js'
import { projectRow } from '../../db/project-scope.js'

/** What every audited change carries: who acted (null: the system) and about which customer. */
interface AuditBase {
  actorUserId: number | null
  customerId: number | null
  /** When it happened; the database's clock when left out. */
  at?: Date
}

/**
 * One audited change. Each kind is a variant: its `details` are the typed fields (stored as JSON,
 * no personal data), `text` the one free text it carries (erased by `forget`). A new audited
 * feature adds a variant here and one `recordAudit` call in the transaction of its change.
 */
export type AuditEvent = AuditBase &
  (
    | {
        kind: 'assignment'
        details: { action: AssignmentAction; reason: string; fromTeam?: string | null; toTeam?: string | null; fromOwner?: number | null; toOwner?: number | null }
      }
    | { kind: 'transfer'; details: { fromOwner: number | null; toOwner: number | null }; text: string | null }
    | { kind: 'ban' | 'unban'; details: { reason: string } }
    /** A staff message deleted everywhere by `/delete`; text: what it said. */
    | { kind: 'delete'; details: { messageRowId: number; authorUserId: number }; text: string | null }
    /** A change made through the admin API, with the key that made it; text: a message it wrote. */
    | { kind: 'api_write'; apiKeyId: number; details: { route: 'assign' | 'message'; team?: string; messageRowId?: number }; text?: string | null }
    /** A staff message caught by a risk phrase (the risk-phrase policy). */
    | { kind: 'risk_hit'; details: { phrase: string; action: 'blocked' | 'confirmed' | 'cancelled' | 'expired' }; text: string }
    /** A lead changed the project's risk phrases (`/risk add|remove`). */
    | { kind: 'risk_phrase_change'; details: { phrase: string; change: 'added' | 'removed'; mode?: 'confirm' | 'block' } }
    /** A broadcast started (confirmed) or cancelled by a lead (or the command line: no actor). */
    | { kind: 'broadcast'; details: { broadcastId: number; action: 'started' | 'cancelled'; segment: string; recipients: number } }
  )

// The compiler checks that the variants and the table's kinds are the same list.
type SameKinds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const KINDS_MATCH: SameKinds<AuditEvent['kind'], AuditKind> = true
void KINDS_MATCH

/** Records one audited change; call it inside the transaction of the change, so both commit or neither. */
export async function recordAudit(tx: DbOrTx, projectId: number, event: AuditEvent): Promise<void> {
  await tx.insert(auditEvents).values(
    projectRow(auditEvents, projectId, {
      kind: event.kind,
      actorUserId: event.actorUserId,
      apiKeyId: event.kind === 'api_write' ? event.apiKeyId : null,
      customerId: event.customerId,
      details: JSON.stringify(event.details),
      text: 'text' in event ? (event.text ?? null) : null,
      ...(event.at ? { createdAt: event.at } : {}),
    }),
  )
}

/** The audit event of an assignment-log row: a transfer, a ban, an assignment; none for conversation states (resolved, reopened). */
export function auditOfAssignment(change: {
  customerId: number
  action: AssignmentAction
  reason: string
  actorUserId?: number | null
  fromTeam?: string | null
  toTeam?: string | null
  fromOwner?: number | null
  toOwner?: number | null
  note?: string | null
}): AuditEvent | undefined {
  const base = { actorUserId: change.actorUserId ?? null, customerId: change.customerId }
  switch (change.action) {
    case 'resolved':
    case 'reopened':
      return undefined
    case 'banned':
    case 'unbanned':
      return { ...base, kind: change.action === 'banned' ? 'ban' : 'unban', details: { reason: change.reason } }
    case 'owner_changed':
      if (change.reason === 'transfer')
        return { ...base, kind: 'transfer', details: { fromOwner: change.fromOwner ?? null, toOwner: change.toOwner ?? null }, text: change.note ?? null }
  }
  const { action, reason, fromTeam, toTeam, fromOwner, toOwner } = change
  return { ...base, kind: 'assignment', details: { action, reason, fromTeam, toTeam, fromOwner, toOwner } }
}
