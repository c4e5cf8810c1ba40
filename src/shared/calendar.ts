// Calendar words both the config schema and the domain's business hours use (a neutral module:
// the config layer may not import the domain).

/** Days as the config spells them, in `Date.getUTCDay()` order. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** Whether `timeZone` is an IANA zone this runtime knows (Intl throws a RangeError otherwise). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}
