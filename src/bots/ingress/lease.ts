// What a lease is to its users (pollers, cron, the webhook redrive); `instance-leases.ts` keeps them.

export interface LeaseSettings {
  /** How often the instance renews its leases and tries to take the free ones it wants. */
  heartbeatMs: number
  /** How long a renewal keeps a lease; an instance that stopped renewing loses it after this. */
  ttlMs: number
  /**
   * The leases whose names start so (the bots' polling) are spread over the live instances: each
   * takes at most its share (`lease-share.ts`) and hands the ones beyond it over. Absent: the
   * first instance to find one free takes it.
   */
  spreadPrefix?: string
}

/** One thing only one instance may do at a time, as this instance sees it. */
export interface Lease {
  readonly name: string
  /** True while this instance holds it (and has renewed it recently enough to be sure). */
  readonly held: boolean
  /** Resolves at the next change of `held`, or when `signal` aborts. */
  changed(signal?: AbortSignal): Promise<void>
  /** Tries to take it now (a heartbeat of its own, when the leases run); resolves to `held`. */
  acquire(): Promise<boolean>
  /** No longer wanted: the row is let go (if held) for another instance to take at once. */
  release(): Promise<void>
  /**
   * This instance has stopped acting on it (its poller stopped and its handlings settled): a
   * lease it was asked to hand over (spread, `held` turned false) is let go now for another
   * instance to take. Nothing otherwise.
   */
  handOver(): void
}

/** What becomes of the claims of instances whose own lease ran out (app.ts: their outbox rows and updates are released). */
export type ReleaseClaimsOf = (instanceIds: string[]) => Promise<unknown>
