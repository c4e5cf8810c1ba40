import { randomBytes } from 'node:crypto'
import type { Update } from 'grammy/types'
import type { DbOrTx } from '../../db/client.js'
import { CLAIM_LEASE_SECONDS, renewClaims } from '../../db/repositories/updates.js'

/** A fresh claim token: one per handling, so two handlings of one update in one process differ too. */
export function newClaimToken(): string {
  return randomBytes(12).toString('base64url')
}

/**
 * The claims one process holds on a database: renewed every third of the lease while their
 * handlings run or wait their turn, so no other instance (nor the redrive) takes the update up;
 * a process that dies stops renewing and its updates are free again after the lease, or as soon
 * as its instance's own lease runs out (`releaseUpdateClaimsOf`, app.ts).
 */
export class HeldClaims {
  private readonly tokens = new Map<string, number>()
  private timer?: NodeJS.Timeout

  constructor(
    private readonly db: DbOrTx,
    private readonly onError: (error: unknown) => void,
    private readonly renewEveryMs = (CLAIM_LEASE_SECONDS * 1000) / 3,
  ) {}

  hold(token: string): void {
    this.tokens.set(token, (this.tokens.get(token) ?? 0) + 1)
    this.timer ??= setInterval(() => void this.renew(), this.renewEveryMs).unref()
  }

  let(token: string): void {
    const count = (this.tokens.get(token) ?? 1) - 1
    if (count > 0) this.tokens.set(token, count)
    else this.tokens.delete(token)
    if (this.tokens.size === 0 && this.timer) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  }

  private async renew(): Promise<void> {
    const tokens = [...this.tokens.keys()]
    for (let i = 0; i < tokens.length; i += 500) await renewClaims(this.db, tokens.slice(i, i + 500)).catch(this.onError)
  }
}

const heldClaims = new WeakMap<DbOrTx, HeldClaims>()

/** One keeper of claims per database handle, shared by its bots. */
export function heldClaimsOf(db: DbOrTx, onError: (error: unknown) => void = () => {}): HeldClaims {
  let claims = heldClaims.get(db)
  if (!claims) heldClaims.set(db, (claims = new HeldClaims(db, onError)))
  return claims
}

/**
 * Updates the webhook stored and claimed in the same insert: the token their handling holds.
 * Keyed by the update object itself, which grammY hands on as `ctx.update`.
 */
const claimedAtStore = new WeakMap<Update, string>()

export function rememberClaim(update: Update, token: string): void {
  claimedAtStore.set(update, token)
}

/** The token an update was claimed with when stored (taken once: a second handling must claim it anew). */
export function takeClaim(update: Update): string | undefined {
  const token = claimedAtStore.get(update)
  claimedAtStore.delete(update)
  return token
}
