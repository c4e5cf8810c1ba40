/**
 * The lane workers' alarm clock: an idle worker sleeps on it, and `notify()` (called by the
 * domain right after a commit that queued rows) wakes every sleeper at once.
 */
export class Wakeup {
  private readonly sleepers = new Set<() => void>()

  notify(): void {
    for (const wake of this.sleepers) wake()
    this.sleepers.clear()
  }

  /** Resolves after `ms`, or earlier on `notify()`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        this.sleepers.delete(wake)
        resolve()
      }, ms)
      this.sleepers.add(wake)
    })
  }
}
