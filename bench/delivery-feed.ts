import type { Delivery, Simulator } from '../src/simulator/index.js'

interface Waiter {
  match: (d: Delivery) => boolean
  resolve: (d: Delivery) => void
  reject: (e: Error) => void
  deadline: number
  what: string
}

/**
 * Waits for bot messages by reading the simulator's delivery witness incrementally (one shared
 * poll for every waiter, instead of each waiter rendering whole chats).
 */
export class DeliveryFeed {
  private seen: number
  private waiters: Waiter[] = []
  private timer: NodeJS.Timeout | undefined
  private readonly recent: Delivery[] = []

  constructor(private readonly sim: Simulator) {
    this.seen = sim.stats().sent
  }

  /** Resolves with the first delivery since the feed started that matches. */
  waitFor(what: string, match: (d: Delivery) => boolean, timeoutMs = 60_000): Promise<Delivery> {
    const already = this.recent.find(match)
    if (already) return Promise.resolve(already)
    return new Promise((resolve, reject) => {
      this.waiters.push({ match, resolve, reject, deadline: Date.now() + timeoutMs, what })
      this.timer ??= setInterval(() => this.poll(), 25)
    })
  }

  /** Forgets deliveries seen so far (keeps memory and scans small between onboarding batches). */
  forget(): void {
    this.recent.length = 0
  }

  private poll(): void {
    const all = this.sim.deliveries()
    const fresh = all.slice(this.seen)
    this.seen = all.length
    this.recent.push(...fresh)
    const now = Date.now()
    this.waiters = this.waiters.filter((w) => {
      const found = fresh.find(w.match) ?? undefined
      if (found) w.resolve(found)
      else if (now > w.deadline) w.reject(new Error(`timed out waiting for ${w.what}`))
      else return true
      return false
    })
    if (this.waiters.length === 0) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  }
}
