const DAY_MS = 24 * 3600_000

/** The `[days]` of `/audit` and `/stats`: 7 when left out, a whole number from 1 to 365, else undefined. */
export function parseDays(args: string): number | undefined {
  const text = args.trim()
  if (text === '') return 7
  if (!/^\d{1,3}$/.test(text)) return undefined
  const days = Number(text)
  return days >= 1 && days <= 365 ? days : undefined
}

/** The last `days` days up to now, as [from, to). */
export function lastDays(now: Date, days: number): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - days * DAY_MS), to: now }
}

/**
 * A CLI `--from` / `--to` value: a date (`2026-11-01`, UTC; as `--to`, the whole day is included)
 * or an ISO time; undefined when it is neither.
 */
export function parseBound(value: string | undefined, side: 'from' | 'to'): Date | undefined {
  if (!value) return undefined
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const at = new Date(dateOnly ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(at.getTime())) return undefined
  return dateOnly && side === 'to' ? new Date(at.getTime() + DAY_MS) : at
}
