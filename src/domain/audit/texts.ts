import type { AuditKind } from '../../db/schema/index.js'

/** The words of `/audit` (kept here, with the feature, until the texts module takes them). */
export const AUDIT_TEXTS = {
  usage: 'Use /audit or /audit <days> (1 to 365).',
  empty: (days: number) => `No audited changes in the last ${days} day(s).`,
  title: (days: number, total: number) => `🧾 Audit, last ${days} day(s): ${total} change(s)`,
  byKind: 'By kind:',
  byAgent: 'By agent:',
  system: 'system',
  apiKey: (id: number) => `API key #${id}`,
  kinds: {
    assignment: 'assignments',
    transfer: 'transfers',
    ban: 'bans',
    unban: 'unbans',
    delete: 'deletes',
    api_write: 'API writes',
    risk_hit: 'risk-phrase hits',
    risk_phrase_change: 'risk-phrase changes',
    broadcast: 'broadcasts',
  } satisfies Record<AuditKind, string>,
}
