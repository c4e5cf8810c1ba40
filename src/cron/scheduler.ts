import cron, { type ScheduledTask } from 'node-cron'
import type { Logger } from '../logger.js'

export interface CronJob {
  name: string
  /** node-cron expression (seconds optional), e.g. '* * * * *' for every minute. */
  schedule: string
  run(): Promise<void>
}

/** Whether this instance leads cron: the holder of the `cron` lease (src/bots/ingress/instance-leases.ts). */
export interface CronLeadership {
  readonly held: boolean
}

/** The lease whose holder runs the cron jobs. */
export const CRON_LEASE = 'cron'

/**
 * Runs cron jobs in one instance only, the leader (it holds the `cron` lease); the others skip
 * every run. Jobs only enqueue work or update rows. A leader that loses the lease mid-run lets
 * that run finish: the next leader takes over a TTL later at the earliest.
 */
export class CronScheduler {
  private readonly tasks: ScheduledTask[] = []
  private readonly running = new Set<Promise<void>>()
  /** Jobs running in this process: a run that comes while the previous one still runs is skipped. */
  private readonly inProcess = new Set<string>()

  constructor(
    private readonly leadership: CronLeadership,
    private readonly logger: Logger,
  ) {}

  /** True while this instance runs the cron jobs. */
  get leading(): boolean {
    return this.leadership.held
  }

  add(job: CronJob): void {
    if (!cron.validate(job.schedule)) throw new Error(`Cron job ${job.name}: invalid schedule "${job.schedule}"`)
    const task = cron.schedule(
      job.schedule,
      () => {
        const run = this.runOnce(job)
        this.running.add(run)
        void run.finally(() => this.running.delete(run))
      },
      { name: job.name, noOverlap: true },
    )
    this.tasks.push(task)
  }

  /** One run of a job if this instance leads; skipped when it does not, or when the job still runs here; a failure logged. */
  async runOnce(job: CronJob): Promise<void> {
    if (!this.leading) return
    if (this.inProcess.has(job.name)) {
      this.logger.debug({ job: job.name }, 'cron job already runs here; skipped')
      return
    }
    this.inProcess.add(job.name)
    try {
      await job.run()
    } catch (error) {
      this.logger.error({ err: error, job: job.name }, 'cron job failed')
    } finally {
      this.inProcess.delete(job.name)
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop()
    await Promise.all(this.running)
  }
}
