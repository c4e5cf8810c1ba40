import type { Database } from '../db/client.js'
import { retryTransient } from '../db/errors.js'
import type { Logger } from '../logger.js'
import { defer, reschedule, type ClaimedJob } from './outbox.js'

/**
 * A send still in flight when the drain ran out may have reached Telegram or not: its row is due
 * again this long after (sent twice at worst), instead of after the whole lease.
 */
export const UNCERTAIN_SEND_GRACE_MS = 3_000

/**
 * The rows a worker set's claims hold, and whether each one's send began: what a stopping set
 * gives back, so no row waits out its lease for a worker that is gone.
 */
export class HeldClaims {
  private readonly held = new Map<number, { claim: ClaimedJob; sending: boolean }>()

  constructor(private readonly deps: { db: Database; logger: Logger }) {}

  add(claims: readonly ClaimedJob[]): void {
    for (const claim of claims) this.held.set(claim.id, { claim, sending: false })
  }

  /** The row's send begins: from now on its outcome is unknown until Telegram answers. */
  sending(id: number): void {
    const held = this.held.get(id)
    if (held) held.sending = true
  }

  done(id: number): void {
    this.held.delete(id)
  }

  /** A claimed row that will not be sent (the set is stopping): back in line at once, the claim not counted as an attempt. */
  async putBack(claim: ClaimedJob): Promise<void> {
    this.held.delete(claim.id)
    await retryTransient(() => defer(this.deps.db, claim, 0)).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, outboxId: claim.id }, 'could not put back a claimed row; it comes back after its lease'),
    )
  }

  /** At a drain's end: unsent rows back in line as if never claimed, rows in flight due again after a short grace. */
  async releaseAll(): Promise<void> {
    const held = [...this.held.values()]
    this.held.clear()
    if (held.length === 0) return
    const release = ({ claim, sending }: { claim: ClaimedJob; sending: boolean }) =>
      sending ? reschedule(this.deps.db, claim, UNCERTAIN_SEND_GRACE_MS, 'in flight when the service stopped: outcome unknown, sent again') : defer(this.deps.db, claim, 0)
    await Promise.all(
      held.map((entry) =>
        retryTransient(() => release(entry)).catch((error: unknown) =>
          this.deps.logger.warn({ err: error, outboxId: entry.claim.id }, 'could not release a claimed row; it comes back after its lease'),
        ),
      ),
    )
    const ids = (sending: boolean) => held.filter((entry) => entry.sending === sending).map((entry) => entry.claim.id)
    this.deps.logger.warn({ inFlight: ids(true), unsent: ids(false) }, 'released the claims of rows not finished at stop')
  }
}
