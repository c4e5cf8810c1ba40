/** One line of the doctor's report: what was checked, whether it is fine, and how to fix it when not. */
export interface CheckRow {
  area: 'config' | 'bot' | 'group' | 'rights' | 'privacy' | 'webhook' | 'staff' | 'database' | 'cron' | 'assistant'
  subject: string
  ok: boolean
  detail: string
  /** What the operator should do; present on every failed row. */
  fix?: string
}

export const pass = (area: CheckRow['area'], subject: string, detail: string): CheckRow => ({ area, subject, ok: true, detail })
export const fail = (area: CheckRow['area'], subject: string, detail: string, fix: string): CheckRow => ({ area, subject, ok: false, detail, fix })
