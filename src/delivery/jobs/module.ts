import type { Database } from '../../db/client.js'
import type { Coalescer } from '../coalesce.js'
import type { DeliveryHooks } from '../hooks.js'
import type { OutboxJob, OutboxJobType } from '../jobs.js'
import type { ClaimedJob } from '../outbox.js'
import type { SendDeps } from '../send-content.js'
import type { ProgressStore } from '../send-steps.js'

/** What a job's sender may use: the database, the gateway, the batch's read-ahead links, the hooks. */
export interface ExecutorDeps extends SendDeps {
  db: Database
  /** Where what a send produced for the domain (a topic's thread, a card's message) is reported. */
  hooks?: DeliveryHooks
  /** Combines a long backlog's text copies (`coalesce.ts`); absent when coalescing is off. */
  coalescer?: Coalescer
}

/** The payload of one job type, e.g. `JobOf<'relay'>`. */
export type JobOf<T extends OutboxJobType> = Extract<OutboxJob, { type: T }>

/** A claimed outbox row whose job is `J`. */
export type ClaimOf<J extends { type: string }> = Omit<ClaimedJob, 'job'> & { job: J }

/**
 * One outbox job type: how the planner weighs and places it and how the worker sends it. The
 * worker records the row sent with what `send` returns (`markSent`), unless `send` recorded it
 * itself in the statement that recorded its copy (it then returns `SentRecorded`). What a send
 * produced for the domain (a topic's thread, a card's message) goes through `deps.hooks`.
 * Adding a job type: its variant in `OutboxJob` (jobs.ts), a module here, its line in `jobs/index.ts`.
 */
export interface JobModule<J extends { type: string } = { type: string }> {
  readonly type: J['type']
  /** It posts a new message, so any bot of the role's pool may send it into a group. */
  readonly poolable?: boolean
  /** The conversation itself (and what it needs): it may take a group's whole budget; other jobs leave it a share. */
  readonly conversation?: boolean
  /** `link`: the relay link its `linkId` names (with message and topic) is read with the claim, so a batch reads nothing more before its sends. */
  readonly prefetch?: 'link'
  /**
   * How many Telegram messages it will still post (each part of a split text, each album item…):
   * what the planner counts against the rate budgets. 1 when absent.
   */
  messages?(deps: ExecutorDeps, claimed: ClaimOf<J>): Promise<number> | number
  /** Performs the job against Telegram; returns the row's result. A `PermanentJobError` dead-letters it. */
  send(deps: ExecutorDeps, claimed: ClaimOf<J>, progress: ProgressStore): Promise<unknown>
}
