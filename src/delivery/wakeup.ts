/**
 * The outbox workers' alarm clock. The domain calls `notify()` right after a commit that queued
 * rows; the workers listen (`onNotify`) and look which classes have rows due, then wake those.
 */
export class Wakeup {
  private readonly listeners = new Set<() => void>()

  notify(): void {
    for (const listener of this.listeners) listener()
  }

  /** Calls `listener` on every notify; returns what stops it. */
  onNotify(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/**
 * Idle outbox workers sleep here until their priority class has something due. `check()` reads each class's
 * earliest waiting row (one cheap query, see `classDueTimes`), wakes one sleeper of each class with
 * a row due and sets a timer for rows due later. It runs on every notify, after a batch that rows
 * waited behind and every `intervalMs` (what another process queued), at most once per
 * `minGapMs`: an idle service costs one query per interval, not a claim per class and worker.
 */
export class ClassWakeups<K> {
  private readonly sleepers = new Map<K, Array<() => void>>()
  /** Classes woken while none of their workers slept: the next to sleep goes on at once. */
  private readonly missed = new Set<K>()
  private readonly timers = new Map<K, { at: number; timer: NodeJS.Timeout }>()
  private interval?: NodeJS.Timeout
  private checking?: Promise<void>
  private again = false
  private lastCheck = 0
  private gapTimer?: NodeJS.Timeout
  private stopped = false

  constructor(
    private readonly dueTimes: () => Promise<Map<K, number>>,
    private readonly options: { intervalMs: number; minGapMs: number; onError: (error: unknown) => void },
  ) {}

  start(): void {
    this.stopped = false
    this.interval = setInterval(() => this.check(), this.options.intervalMs)
    this.check()
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.interval)
    clearTimeout(this.gapTimer)
    for (const { timer } of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    for (const queue of this.sleepers.values()) for (const wake of queue.splice(0)) wake()
  }

  /** Resolves after `ms`, or earlier when the class is woken. */
  sleep(priorityClass: K, ms: number): Promise<void> {
    if (this.missed.delete(priorityClass) || this.stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const queue = this.sleepers.get(priorityClass) ?? []
      this.sleepers.set(priorityClass, queue)
      const wake = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        const at = queue.indexOf(wake)
        if (at >= 0) queue.splice(at, 1)
        resolve()
      }, ms)
      queue.push(wake)
    })
  }

  /** Wakes one sleeper of the class (one claim takes what is due; it wakes the next when it took a full batch). */
  wakeOne(priorityClass: K): void {
    const wake = this.sleepers.get(priorityClass)?.shift()
    if (wake) wake()
    else this.missed.add(priorityClass)
  }

  /** Looks which classes have rows due, soon: coalesced while a check runs, spaced by `minGapMs`. */
  check(): void {
    if (this.stopped) return
    if (this.checking) {
      this.again = true
      return
    }
    const wait = this.lastCheck + this.options.minGapMs - Date.now()
    if (wait > 0) {
      this.gapTimer ??= setTimeout(() => {
        this.gapTimer = undefined
        this.check()
      }, wait)
      return
    }
    this.lastCheck = Date.now()
    this.checking = this.dueTimes()
      .then((due) => {
        for (const [priorityClass, ms] of due)
          if (ms === 0) this.wakeOne(priorityClass)
          else this.wakeAt(priorityClass, ms)
      })
      .catch(this.options.onError)
      .finally(() => {
        this.checking = undefined
        if (this.again) {
          this.again = false
          this.check()
        }
      })
  }

  private wakeAt(priorityClass: K, ms: number): void {
    const at = Date.now() + ms
    const current = this.timers.get(priorityClass)
    if (current && current.at <= at) return
    if (current) clearTimeout(current.timer)
    const timer = setTimeout(() => {
      this.timers.delete(priorityClass)
      this.wakeOne(priorityClass)
    }, ms)
    this.timers.set(priorityClass, { at, timer })
  }
}
