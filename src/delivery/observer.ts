import type { LinkWithMessage } from '../db/repositories/relay.js'
import type { FailureClass } from './classify-error.js'
import type { ClaimedJob } from './outbox.js'

/** What the outbox workers report about each send, for metrics; delivery does not know who listens. */
export interface DeliveryObserver {
  /** One executed job: how long the Telegram call(s) took, and its failure class when it failed. */
  sendFinished(job: ClaimedJob, seconds: number, failure?: FailureClass): void
  /** The planner put a row back because no bot of the pool had budget for its chat. */
  deferred(job: ClaimedJob, delayMs: number): void
  /** A relayed copy was posted (its message and topic, for the client-to-topic delivery time). */
  copyDelivered?(copy: LinkWithMessage): void
}
