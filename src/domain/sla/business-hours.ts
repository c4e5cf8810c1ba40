import { WEEKDAYS, type Weekday } from '../../shared/calendar.js'

export { isKnownTimeZone, WEEKDAYS, type Weekday } from '../../shared/calendar.js'

/** When a project's staff work: wall-clock hours on some days, in an IANA time zone. */
export interface BusinessHours {
  timeZone: string
  days: readonly Weekday[]
  /** 'HH:MM', local time; `to` may be '24:00' (the end of the day). */
  from: string
  to: string
}

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/** Business windows looked at before giving up (ten years of days: the config always has one day a week). */
const MAX_DAYS = 3660

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone)
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, found)
  }
  return found
}

/** The wall-clock time of an instant in a zone, as if that wall clock were UTC (ms). */
function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value)
  return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second) + (instant % 1000)
}

/** The zone's offset from UTC at an instant (ms; +1 h is 3 600 000). */
function offsetAt(instant: number, timeZone: string): number {
  return wallClockMs(instant, timeZone) - instant
}

/**
 * The instant a wall-clock time (given as if UTC) names in a zone. In a daylight-saving gap
 * (02:30 on a spring-forward night) it is the instant the clocks show after the gap, in an
 * overlap (02:30 on a fall-back night) the earlier one: Temporal's "compatible" choice.
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
  const before = wall - offsetAt(wall - DAY_MS, timeZone)
  const after = wall - offsetAt(wall + DAY_MS, timeZone)
  const valid = [before, after].filter((t) => wallClockMs(t, timeZone) === wall)
  if (valid.length > 0) return Math.min(...valid)
  return before // a gap: with the offset from before it, the time lands after it
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return h! * 60 + m!
}

/** The business window of the local day that starts at `dayWall` (a UTC midnight standing for the local date), if that day is a working day. */
function windowOf(dayWall: number, hours: BusinessHours): { start: number; end: number } | undefined {
  if (!hours.days.includes(WEEKDAYS[new Date(dayWall).getUTCDay()]!)) return undefined
  return {
    start: instantOfWallClock(dayWall + minutesOf(hours.from) * MINUTE_MS, hours.timeZone),
    end: instantOfWallClock(dayWall + minutesOf(hours.to) * MINUTE_MS, hours.timeZone),
  }
}

function localMidnight(instant: number, timeZone: string): number {
  const wall = wallClockMs(instant, timeZone)
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS)
}

/** Whether `at` falls inside business hours (always, when the project has none). */
export function isBusinessTime(at: Date, hours: BusinessHours | undefined): boolean {
  if (!hours) return true
  const window = windowOf(localMidnight(at.getTime(), hours.timeZone), hours)
  return Boolean(window && window.start <= at.getTime() && at.getTime() < window.end)
}

/**
 * The instant `minutes` of business time after `start`: only time inside business hours counts
 * (a message at 17:55 with 10 minutes to go and hours until 18:00 is due at 09:05 on the next
 * working day). Elapsed time is real time, so a business window over a daylight-saving change
 * counts the hour it really has (one more in autumn, one less in spring).
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours | undefined): Date {
  if (!hours) return new Date(start.getTime() + minutes * MINUTE_MS)
  let remaining = minutes * MINUTE_MS
  let day = localMidnight(start.getTime(), hours.timeZone)
  for (let i = 0; i < MAX_DAYS; i++, day += DAY_MS) {
    const window = windowOf(day, hours)
    if (!window) continue
    const from = Math.max(window.start, start.getTime())
    if (from >= window.end) continue
    if (remaining <= window.end - from) return new Date(from + remaining)
    remaining -= window.end - from
  }
  throw new Error(`No business hours within ${MAX_DAYS} days in ${hours.timeZone}`)
}
