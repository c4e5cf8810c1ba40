import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { assistantJobs } from '../db/schema/index.js'
import type { DomainDeps } from '../domain/deps.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { Logger } from '../logger.js'
import type { AssistantJobHandler, DraftSender } from './jobs/job.js'
import { AssistantUnavailable } from './provider.js'
import type { AssistantRuntime } from './runtime.js'

export interface AssistantWorkerDeps {
  db: Database
  domain: DomainDeps
  logger: Logger
  projects: ProjectRuntime[]
  runtime: AssistantRuntime
  handlers: readonly AssistantJobHandler[]
  /** Direct draft calls for streamed answers (answer mode). */
  drafts?: DraftSender
}

export interface AssistantWorkerOptions {
  /** Jobs run at once (each waits on its provider, not on the CPU). */
  concurrency?: number
  pollIntervalMs?: number
  /** A claimed job's lease; a crashed worker's job runs again after it (default: three of the longest provider deadline, and 30 s). */
  leaseSeconds?: number
  /** Runs of a job whose handler threw something else than `AssistantUnavailable` (a bug, the database). */
  maxAttempts?: number
}

interface ClaimedJob {
  id: number
  projectId: number
  kind: string
  payload: string
  attempts: number
}

/**
 * Runs the `assistant_jobs` queue: claims due jobs (`FOR UPDATE SKIP LOCKED`, so instances share
 * it), hands each to its kind's handler with its project's provider, records how it ended. A
 * provider that fails ends its job quietly (`outcome` says why); nothing else waits on it. Takes
 * no work, and polls nothing, when no project has an assistant.
 */
export class AssistantWorker {
  private readonly running = new Set<Promise<void>>()
  private readonly handlers: Map<string, AssistantJobHandler>
  private timer: NodeJS.Timeout | undefined
  private stopped = true
  private polling: Promise<void> | undefined
  private readonly options: Required<AssistantWorkerOptions>

  constructor(
    private readonly deps: AssistantWorkerDeps,
    options: AssistantWorkerOptions = {},
  ) {
    this.handlers = new Map(deps.handlers.map((h) => [h.kind, h]))
    // A job may call its provider a few times: its lease outlasts them, so a slow job is never taken twice.
    const longestCall = Math.max(0, ...deps.projects.map((p) => p.config.assistant?.timeoutSeconds ?? 0))
    this.options = { concurrency: 4, pollIntervalMs: 250, leaseSeconds: Math.ceil(3 * longestCall + 30), maxAttempts: 3, ...options }
  }

  /** The projects whose jobs it takes: those with an assistant. */
  private get projectIds(): number[] {
    return this.deps.projects.filter((p) => p.config.assistant).map((p) => p.id)
  }

  /** Whether it polls the queue (false before start, after stop, and when no project has an assistant). */
  get started(): boolean {
    return !this.stopped
  }

  /** Starts polling, unless no project has an assistant. */
  start(): void {
    if (this.projectIds.length === 0) return
    this.stopped = false
    this.schedule(0)
  }

  /** Takes due jobs now (after a commit that queued some) instead of at the next poll. */
  wake(): void {
    if (!this.stopped && !this.polling) this.schedule(0)
  }

  /** Stops taking jobs and waits for those in flight, at most `timeoutMs`; true when they all finished. */
  async stop(timeoutMs = 10_000): Promise<boolean> {
    this.stopped = true
    clearTimeout(this.timer)
    // A claim under way hands its jobs to `running` before it ends.
    await this.polling
    if (this.running.size === 0) return true
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    const finished = Promise.allSettled([...this.running]).then(() => true as const)
    const drained = await Promise.race([finished, timedOut])
    clearTimeout(timer)
    return drained
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => (this.polling = undefined))
    }, ms)
  }

  private async poll(): Promise<void> {
    if (this.stopped) return
    try {
      const free = this.options.concurrency - this.running.size
      const jobs = free > 0 ? await this.claim(free) : []
      for (const job of jobs) {
        const run = this.run(job).finally(() => {
          this.running.delete(run)
          this.wake()
        })
        this.running.add(run)
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'assistant jobs: claim failed')
    } finally {
      if (!this.stopped) this.schedule(this.options.pollIntervalMs)
    }
  }

  private async claim(limit: number): Promise<ClaimedJob[]> {
    const ids = this.projectIds
    if (ids.length === 0) return []
    return this.deps.db.transaction(async (tx) => {
      const [rows] = (await tx.execute(sql`
        SELECT id, project_id AS projectId, kind, payload, attempts FROM assistant_jobs
        WHERE project_id IN (${sql.join(ids, sql`, `)})
          AND ((state = 'pending' AND due_at <= NOW(3)) OR (state = 'running' AND lease_until < NOW(3)))
        ORDER BY due_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`)) as unknown as [ClaimedJob[]]
      if (rows.length === 0) return []
      await tx.execute(sql`
        UPDATE assistant_jobs SET state = 'running', attempts = attempts + 1, lease_until = NOW(3) + INTERVAL ${this.options.leaseSeconds} SECOND
        WHERE id IN (${sql.join(
          rows.map((r) => r.id),
          sql`, `,
        )})`)
      return rows.map((r) => ({ ...r, id: Number(r.id), projectId: Number(r.projectId), attempts: Number(r.attempts) + 1 }))
    })
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { logger } = this.deps
    const log = { assistantJobId: job.id, projectId: job.projectId, kind: job.kind }
    const project = this.deps.projects.find((p) => p.id === job.projectId)
    const handler = this.handlers.get(job.kind)
    if (!project || !handler) {
      logger.warn(log, 'assistant job: no handler for its kind; given up')
      return this.finish(job, 'failed', 'error')
    }
    let result: unknown
    try {
      result = await handler.run(
        { jobId: job.id, project, provider: this.deps.runtime.providerFor(project), deps: this.deps.domain, logger: logger.child(log), drafts: this.deps.drafts },
        JSON.parse(job.payload),
      )
    } catch (error) {
      if (error instanceof AssistantUnavailable) {
        logger.info({ ...log, reason: error.reason }, 'assistant job skipped: the assistant is unavailable')
        return this.finish(job, 'failed', error.reason)
      }
      if (job.attempts < this.options.maxAttempts) {
        logger.warn({ ...log, err: error, attempts: job.attempts }, 'assistant job failed; retried later')
        await this.retryLater(job)
        return
      }
      logger.error({ ...log, err: error, attempts: job.attempts }, 'assistant job failed; given up')
      return this.finish(job, 'failed', 'error')
    }
    // Outside the try: the handler has committed, so a failure to record that is never a retry
    // (the lease runs out and it runs again: the handlers skip what they already did).
    await this.finish(job, 'done', 'done', result).catch((error: unknown) => logger.error({ ...log, err: error }, 'assistant job: its end not recorded'))
  }

  private async finish(job: ClaimedJob, state: 'done' | 'failed', outcome: string, result?: unknown): Promise<void> {
    await this.deps.db
      .update(assistantJobs)
      .set({ state, outcome, leaseUntil: null, result: result === undefined ? null : JSON.stringify(result) })
      .where(and(eq(assistantJobs.id, job.id), eq(assistantJobs.state, 'running')))
  }

  private async retryLater(job: ClaimedJob): Promise<void> {
    await this.deps.db.execute(sql`
      UPDATE assistant_jobs SET state = 'pending', lease_until = NULL, due_at = NOW(3) + INTERVAL ${job.attempts * 5} SECOND
      WHERE id = ${job.id} AND state = 'running'`)
  }
}
