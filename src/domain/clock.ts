/** Where the domain reads "now": the system clock in production, a clock the test moves in tests. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still until told to move (tests, the demo): time-based rules without waiting. */
export class ManualClock implements Clock {
  private current: number

  constructor(start: Date = new Date()) {
    this.current = start.getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  set(at: Date): void {
    this.current = at.getTime()
  }

  advance(ms: number): void {
    this.current += ms
  }
}
