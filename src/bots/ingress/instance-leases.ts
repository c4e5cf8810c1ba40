import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/client.js'
import { deleteLeases, ensureLeaseRows, freeLeases, heldLeases, instanceLease, instanceOfLease, liveInstances, renewLeases, takeLeases } from '../../db/repositories/leases.js'
import { HAND_OVER_FALLBACK_MS, shareOf } from './lease-share.js'
import type { Lease, LeaseSettings, ReleaseClaimsOf } from './lease.js'
import type { Logger } from '../../logger.js'

/**
 * The leases of this service instance (one random id), stored in `leases`: polling a bot
 * (`poll:<bot id>`), leading cron, the webhook redrive, and its own (`instance:<id>`, held while
 * it lives): when another instance's own lease runs out, the heartbeat that takes it hands its id
 * to `releaseClaimsOf` (its outbox claims are due again at once, not after their own lease, and
 * its updates in hand are free for the next handling), then deletes it. A heartbeat renews every lease the
 * instance holds in one statement and takes the free or expired ones it wants in one more, on the
 * database's clock, so the idle cost does not grow with the number of bots, and it works where
 * GET_LOCK does not (Galera's named locks are node-local). A lease counts as lost here
 * `ttlMs - heartbeatMs / 2` after the start of its last successful renewal (the database's
 * `expires_at` is at least `ttlMs` after it): the instance stops before another can take over.
 */
export class InstanceLeases {
  readonly instanceId = randomUUID()
  private readonly own = instanceLease(this.instanceId)
  private readonly wanted = new Map<string, Set<() => void>>()
  private readonly held = new Set<string>()
  /** Names wanted since the last heartbeat: their rows may not exist yet. */
  private readonly fresh = new Set<string>()
  private timer?: NodeJS.Timeout
  private expiry?: NodeJS.Timeout
  /** One statement sequence at a time (heartbeats, releases). */
  private queue: Promise<unknown> = Promise.resolve()
  private running = false
  private failing = false
  /** Names let go here whose rows are still to be freed (one statement for all: a stopping instance frees its bots together). */
  private readonly letGo = new Set<string>()
  /** Dead instances' own leases whose claims are being released. */
  private readonly releasing = new Set<string>()
  /** Leases beyond this instance's share, still its own in the database until their user lets go (`handOver`), or a fallback runs out. */
  private readonly yielding = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    readonly times: LeaseSettings,
    private readonly releaseClaimsOf?: ReleaseClaimsOf,
  ) {
    this.want(this.own)
  }

  /** How long before the database's expiry this instance gives a lease up (stops polling). */
  get marginMs(): number {
    return Math.floor(this.times.heartbeatMs / 2)
  }

  /** Wants a lease: taken at a heartbeat once free (or at once by `acquire`). */
  want(name: string): Lease {
    // Wanted again before its row was freed: kept.
    this.letGo.delete(name)
    if (!this.wanted.has(name)) {
      this.wanted.set(name, new Set())
      this.fresh.add(name)
    }
    const holds = () => this.held.has(name)
    return {
      name,
      get held() {
        return holds()
      },
      changed: (signal) => this.changed(name, signal),
      acquire: () => this.heartbeat().then(holds),
      release: () => this.release(name),
      handOver: () => this.handOver(name),
    }
  }

  holds(name: string): boolean {
    return this.held.has(name)
  }

  /** Names held here, its own lease aside (the metrics' gauges, tests). */
  heldNames(): string[] {
    return [...this.held].filter((name) => name !== this.own)
  }

  /** Starts the heartbeat; resolves after the first one. */
  async start(): Promise<void> {
    this.running = true
    await this.heartbeat()
    this.schedule()
  }

  /** Stops renewing and lets every lease go, for another instance to take at its next heartbeat. */
  async stop(): Promise<void> {
    this.running = false
    clearTimeout(this.timer)
    clearTimeout(this.expiry)
    for (const fallback of this.yielding.values()) clearTimeout(fallback)
    this.yielding.clear()
    this.lose([...this.held])
    const me = this.instanceId
    // Its own lease deleted: what it leaves claimed is released by its worker's stop, not by another instance.
    const freed = await this.bounded(() => deleteLeases(this.db, me, [this.own]).then(() => freeLeases(this.db, me)))
    if (!freed) this.logger.warn('could not let the leases go; they run out on their own')
  }

  /** One renewal and take-over round (tests call it to not wait for the timer). */
  heartbeat(): Promise<void> {
    return this.serially(() => this.beat())
  }

  private changed(name: string, signal?: AbortSignal): Promise<void> {
    const listeners = this.wanted.get(name)
    if (!listeners || signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        listeners.delete(done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      listeners.add(done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }

  private async release(name: string): Promise<void> {
    const listeners = this.wanted.get(name)
    this.wanted.delete(name)
    this.fresh.delete(name)
    const wasHeld = this.held.delete(name) || this.endYielding(name)
    for (const listener of listeners ?? []) listener()
    if (wasHeld) await this.free(name)
  }

  private handOver(name: string): void {
    if (this.endYielding(name)) void this.free(name)
  }

  /** False when the lease was not being handed over. */
  private endYielding(name: string): boolean {
    const fallback = this.yielding.get(name)
    if (fallback === undefined) return false
    clearTimeout(fallback)
    this.yielding.delete(name)
    return true
  }

  /** Lets its row go (with any other let go meanwhile) for another instance to take at once. */
  private async free(name: string): Promise<void> {
    this.letGo.add(name)
    const freed = await this.bounded(() => {
      const names = [...this.letGo]
      this.letGo.clear()
      return freeLeases(this.db, this.instanceId, names)
    })
    if (!freed) this.logger.warn({ lease: name }, 'could not let a lease go; it runs out on its own')
  }

  /** Runs a statement after the others; false when it failed or did not answer within a TTL (a stop is never held up by the database). */
  private async bounded(statement: () => Promise<unknown>): Promise<boolean> {
    const done = this.serially(statement).then(
      () => true,
      () => false,
    )
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.times.ttlMs)))
    try {
      return await Promise.race([done, late])
    } finally {
      clearTimeout(timer)
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work)
    this.queue = next.catch(() => undefined)
    return next
  }

  private schedule(): void {
    if (!this.running) return
    this.timer = setTimeout(() => void this.heartbeat().finally(() => this.schedule()), this.times.heartbeatMs)
    this.timer.unref()
  }

  private async beat(): Promise<void> {
    if (!this.running) return
    const started = performance.now()
    const { ttlMs } = this.times
    const me = this.instanceId
    try {
      if (this.fresh.size > 0) {
        const names = [...this.fresh]
        await ensureLeaseRows(this.db, names)
        for (const name of names) this.fresh.delete(name)
      }
      // Fewer rows found than held (or being handed over): another instance took one.
      let recount = false
      const mine = this.held.size + this.yielding.size
      if (mine > 0) {
        recount = (await renewLeases(this.db, me, ttlMs)) !== mine
        // Renewed all it holds: safe for another TTL, whatever the take-over below meets (a Galera certification conflict, say).
        if (!recount) this.armExpiry(started)
      }
      const free = [...this.wanted.keys()].filter((name) => !this.held.has(name) && !this.yielding.has(name))
      const spread = this.times.spreadPrefix
      if (spread === undefined) {
        if (free.length > 0) recount = (await takeLeases(this.db, me, free, ttlMs)) > 0 || recount
      } else {
        const room = await this.spreadRoom(spread)
        const spreading = free.filter((name) => name.startsWith(spread))
        const rest = free.filter((name) => !name.startsWith(spread))
        if (rest.length > 0) recount = (await takeLeases(this.db, me, rest, ttlMs)) > 0 || recount
        if (room > 0 && spreading.length > 0) recount = (await takeLeases(this.db, me, spreading, ttlMs, { limit: room })) > 0 || recount
        // Left free by every instance with room for two heartbeats (its poller failing, its instance
        // stopping, or every instance at its share): taken beyond the share, so no bot waits unpolled.
        if (spreading.length > 0) recount = (await takeLeases(this.db, me, spreading, ttlMs, { freeForMs: 2 * this.times.heartbeatMs })) > 0 || recount
      }
      // Stopped meanwhile: its rows are being let go, nothing is held any more.
      if (!this.running) return
      if (recount) {
        const now = new Set(await heldLeases(this.db, me))
        const dead = [...now].filter((name) => name !== this.own && instanceOfLease(name) !== undefined)
        for (const name of dead) now.delete(name)
        this.releaseClaimsOfDead(dead)
        for (const name of [...this.yielding.keys()]) if (!now.has(name)) this.endYielding(name)
        const lost = [...this.held].filter((name) => !now.has(name))
        if (lost.length > 0) this.logger.warn({ count: lost.length, leases: lost.slice(0, 10) }, 'leases taken by another instance; letting them go')
        this.lose(lost)
        // Not one handed over and being let go right now (its row is freed after this heartbeat).
        const gained = [...now].filter((name) => this.wanted.has(name) && !this.held.has(name) && !this.yielding.has(name) && !this.letGo.has(name))
        for (const name of gained) this.held.add(name)
        const work = gained.filter((name) => name !== this.own)
        if (work.length > 0) this.logger.info({ count: work.length, leases: work.slice(0, 10) }, 'leases taken: this instance now polls those bots (or leads cron)')
        this.notify(gained)
        // Held in the database but no longer wanted (released while a heartbeat ran): let go.
        await freeLeases(
          this.db,
          me,
          [...now].filter((name) => !this.wanted.has(name)),
        )
      }
      // Its own row was held by another (it thought this one dead) when remade: made again once deleted.
      if (!this.held.has(this.own)) this.fresh.add(this.own)
      if (this.failing) this.logger.info('leases renewed again')
      this.failing = false
      this.armExpiry(started)
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error, held: this.held.size }, 'could not renew the leases; they are given up here if this lasts')
      this.failing = true
    }
  }

  /**
   * How many more of the spread leases this instance may take: its share is the number wanted
   * over the live instances (`lease-share.ts`). Holding more than that (an instance joined), it
   * hands the extra over: `held` turns false for them, and once their user has stopped
   * (`handOver`, or HAND_OVER_FALLBACK_MS) their rows are let go for the others to take.
   */
  private async spreadRoom(prefix: string): Promise<number> {
    const wanted = [...this.wanted.keys()].filter((name) => name.startsWith(prefix))
    if (wanted.length === 0) return 0
    const holding = [...this.held].filter((name) => name.startsWith(prefix))
    // Itself counted before its own lease is taken (its first heartbeat).
    const live = (await liveInstances(this.db)) + (this.held.has(this.own) ? 0 : 1)
    const share = shareOf(wanted.length, live)
    const extra = holding.slice(share)
    if (extra.length > 0) {
      this.logger.info({ count: extra.length, share, leases: extra.slice(0, 10) }, 'more bots than the share of this instance: handing some over to the other instances')
      for (const name of extra) {
        this.held.delete(name)
        const fallback = setTimeout(() => this.handOver(name), HAND_OVER_FALLBACK_MS)
        fallback.unref()
        this.yielding.set(name, fallback)
      }
      this.notify(extra)
    }
    return share - (holding.length - extra.length) - this.yielding.size
  }

  /** Everything held counts as lost `ttl - margin` after the start of this successful heartbeat, unless the next one succeeds. */
  private armExpiry(started: number): void {
    clearTimeout(this.expiry)
    if (this.held.size === 0) return
    const left = started + this.times.ttlMs - this.marginMs - performance.now()
    this.expiry = setTimeout(
      () => {
        this.logger.warn(
          { count: this.held.size, leases: [...this.held].slice(0, 10) },
          'leases not renewed in time (database unreachable?); giving them up: their bots stop polling here',
        )
        this.lose([...this.held])
      },
      Math.max(0, left),
    )
    this.expiry.unref()
  }

  private lose(names: string[]): void {
    for (const name of names) this.held.delete(name)
    // Its own lease taken (this instance was cut from the database meanwhile): the row is gone, made again at the next heartbeat.
    if (names.includes(this.own)) this.fresh.add(this.own)
    this.notify(names)
  }

  /**
   * Releases the claims of the instances whose own leases this heartbeat took, off the heartbeat's
   * queue (a slow release never makes a renewal late); their leases are deleted once done, kept (and
   * tried again at the next heartbeat) when it failed.
   */
  private releaseClaimsOfDead(names: string[]): void {
    const fresh = names.filter((name) => !this.releasing.has(name))
    if (fresh.length === 0) return
    for (const name of fresh) this.releasing.add(name)
    const instanceIds = fresh.map((name) => instanceOfLease(name)!)
    this.logger.warn({ instances: instanceIds }, 'instances lost their lease (dead or cut from the database); releasing their claims')
    void (async () => {
      await (this.releaseClaimsOf?.(instanceIds) ?? Promise.resolve())
      await this.serially(() => deleteLeases(this.db, this.instanceId, fresh))
    })()
      .catch((error: unknown) => this.logger.warn({ err: error, instances: instanceIds }, 'could not release the claims of lost instances; trying again'))
      .finally(() => {
        for (const name of fresh) this.releasing.delete(name)
      })
  }

  private notify(names: string[]): void {
    for (const name of names) for (const listener of [...(this.wanted.get(name) ?? [])]) listener()
  }
}
