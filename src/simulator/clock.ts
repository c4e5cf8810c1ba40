/** Simulated wall clock: real time plus an offset that tests can advance (e.g. past the 48 h delete limit). */
export class Clock {
  private offsetMs = 0

  nowMs(): number {
    return Date.now() + this.offsetMs
  }

  /** Unix time in seconds, as Telegram puts in `date` fields. */
  unix(): number {
    return Math.floor(this.nowMs() / 1000)
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000
  }
}
