import { describe, expect, it } from 'vitest'
import { addBusinessMinutes, instantOfWallClock, isBusinessTime, isKnownTimeZone, type BusinessHours } from '../../src/domain/sla/business-hours.js'

const berlin: BusinessHours = { timeZone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }
const at = (iso: string) => new Date(iso)
const due = (start: string, minutes: number, hours: BusinessHours | undefined = berlin) => addBusinessMinutes(at(start), minutes, hours).toISOString()

describe('business hours', () => {
  it('counts only minutes inside the hours: 17:55 + 10 min is 09:05 on the next working day', () => {
    // Wednesday 2026-07-15 17:55 CEST (UTC+2) → Thursday 09:05 CEST.
    expect(due('2026-07-15T15:55:00Z', 10)).toBe('2026-07-16T07:05:00.000Z')
    // Friday 17:55 → Monday 09:05; a message on Saturday waits for Monday 09:00.
    expect(due('2026-07-17T15:55:00Z', 10)).toBe('2026-07-20T07:05:00.000Z')
    expect(due('2026-07-18T10:00:00Z', 30)).toBe('2026-07-20T07:30:00.000Z')
    // Inside the hours it is plain addition; before them, counting starts at 09:00.
    expect(due('2026-07-15T08:00:00Z', 10)).toBe('2026-07-15T08:10:00.000Z')
    expect(due('2026-07-15T05:00:00Z', 10)).toBe('2026-07-15T07:10:00.000Z')
    // Without business hours every minute counts.
    expect(addBusinessMinutes(at('2026-07-18T10:00:00Z'), 30, undefined).toISOString()).toBe('2026-07-18T10:30:00.000Z')
  })

  it('keeps local hours across daylight-saving changes (Europe/Berlin 2026-10-25 and 2027-03-28)', () => {
    // Friday 17:55 CEST (UTC+2) → Monday 09:05 CET (UTC+1): 08:05 UTC, not 07:05.
    expect(due('2026-10-23T15:55:00Z', 10)).toBe('2026-10-26T08:05:00.000Z')
    // Friday 17:55 CET → Monday 09:05 CEST: 07:05 UTC.
    expect(due('2027-03-26T16:55:00Z', 10)).toBe('2027-03-29T07:05:00.000Z')
    expect(isBusinessTime(at('2026-10-26T07:30:00Z'), berlin)).toBe(false) // 08:30 CET
    expect(isBusinessTime(at('2026-10-26T08:00:00Z'), berlin)).toBe(true) // 09:00 CET
    expect(isBusinessTime(at('2026-10-23T15:59:00Z'), berlin)).toBe(true) // 17:59 CEST
    expect(isBusinessTime(at('2026-10-23T16:00:00Z'), berlin)).toBe(false) // 18:00 CEST
    expect(isBusinessTime(at('2026-10-25T10:00:00Z'), berlin)).toBe(false) // Sunday
  })

  it('counts the real length of a window that spans the change: 01:00–04:00 is 4 hours in autumn, 2 in spring', () => {
    const night: BusinessHours = { timeZone: 'Europe/Berlin', days: ['sun'], from: '01:00', to: '04:00' }
    // 2026-10-25 01:00 CEST = 23:00 UTC the day before; 04:00 CET = 03:00 UTC.
    expect(due('2026-10-24T22:00:00Z', 239, night)).toBe('2026-10-25T02:59:00.000Z')
    // 2027-03-28 01:00 CET = 00:00 UTC; 04:00 CEST = 02:00 UTC: 120 minutes, then next Sunday.
    expect(due('2027-03-27T22:00:00Z', 119, night)).toBe('2027-03-28T01:59:00.000Z')
    expect(due('2027-03-27T22:00:00Z', 121, night)).toBe('2027-04-03T23:01:00.000Z') // 01:01 CEST
  })

  it('reads a wall-clock time in a gap as after it and in an overlap as the earlier instant', () => {
    expect(new Date(instantOfWallClock(Date.UTC(2027, 2, 28, 2, 30), 'Europe/Berlin')).toISOString()).toBe('2027-03-28T01:30:00.000Z') // 03:30 CEST
    expect(new Date(instantOfWallClock(Date.UTC(2026, 9, 25, 2, 30), 'Europe/Berlin')).toISOString()).toBe('2026-10-25T00:30:00.000Z') // 02:30 CEST
    expect(new Date(instantOfWallClock(Date.UTC(2026, 0, 15, 12, 0), 'America/New_York')).toISOString()).toBe('2026-01-15T17:00:00.000Z')
  })

  it('knows IANA zones', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true)
    expect(isKnownTimeZone('UTC')).toBe(true)
    expect(isKnownTimeZone('Europe/Berln')).toBe(false)
  })
})
