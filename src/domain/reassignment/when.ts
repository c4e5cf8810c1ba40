import { textsOf, type ProjectRuntime } from '../project-runtime.js'
/** When a reassignment should happen: now, tonight (a configured UTC hour), or a given date/time (UTC). */
export type ReassignWhen = { kind: 'now' } | { kind: 'tonight' } | { kind: 'at'; date: Date }

export function dueAt(when: ReassignWhen, tonightHourUtc: number, now: Date): Date {
  if (when.kind === 'now') return now
  if (when.kind === 'at') return when.date
  const tonight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), tonightHourUtc))
  if (tonight <= now) tonight.setUTCDate(tonight.getUTCDate() + 1)
  return tonight
}

/** Parses "" or "now", "tonight", or "2026-11-25 09:00" / "2026-11-25T09:00" (UTC); undefined for anything else or a date not in the future. */
export function parseWhen(text: string, now: Date): ReassignWhen | undefined {
  const value = text.trim().toLowerCase()
  if (value === '' || value === 'now') return { kind: 'now' }
  if (value === 'tonight') return { kind: 'tonight' }
  const match = /^(\d{4})-(\d{2})-(\d{2})[ t](\d{2}):(\d{2})$/.exec(value)
  if (!match) return undefined
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi))
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== mo - 1 || date <= now) return undefined
  return { kind: 'at', date }
}

/** "now", or "2026-11-21 22:00 UTC". */
export function describeDue(project: ProjectRuntime, date: Date, now: Date): string {
  if (date.getTime() - now.getTime() < 60_000) return textsOf(project).staff('dueNow')
  return utcStamp(project, date)
}

/** "2026-11-21 22:00 UTC": a moment as staff texts show it. */
export function utcStamp(project: ProjectRuntime, date: Date): string {
  return textsOf(project).staff('utcStamp', { stamp: date.toISOString().slice(0, 16).replace('T', ' ') })
}
