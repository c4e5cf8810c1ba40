import { outboxJobs, type ExecutorDeps, type JobRegistry } from './jobs/index.js'
import { progressStoreOf, type ClaimedJob } from './outbox.js'

export type { ExecutorDeps }

// A claimed row goes through its job type's module (jobs/<type>.ts, registered in jobs/index.ts).

/**
 * How many Telegram messages a job will still post (each part of a split text, each album
 * item, a caption's follow-up): what the planner counts against the rate budgets.
 */
export async function messagesOfJob(deps: ExecutorDeps, claimed: ClaimedJob, jobs: JobRegistry = outboxJobs): Promise<number> {
  const module = jobs.get(claimed.job.type)
  return module.messages ? module.messages(deps, claimed) : 1
}

/** Performs one outbox job against Telegram and records what it produced. Returns the row's result. */
export async function executeJob(deps: ExecutorDeps, claimed: ClaimedJob, jobs: JobRegistry = outboxJobs): Promise<unknown> {
  return await jobs.get(claimed.job.type).send(deps, claimed, progressStoreOf(deps.db, claimed))
}
