import cron, { type ScheduledTask } from 'node-cron'
import type { Logger } from '../logger.js'
import { NamedLock } from '../db/named-lock.js'

export interface CronJob {
  name: string
  /** node-cron expression (seconds optional), e.g. '* * * * *' for every minute. */
  schedule: string
  run(): Promise<void>
}

/**
 * Runs cron jobs so that each run happens in one process only: a run takes a MySQL named lock
 * and is skipped where another instance holds it. Jobs only enqueue work or update rows.
 */
export class CronScheduler {
  private readonly tasks: ScheduledTask[] = []
  private readonly running = new Set<Promise<void>>()

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

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

  /** One run of a job under its named lock; skipped when another process holds it, a failure logged. */
  async runOnce(job: CronJob): Promise<void> {
    const lock = new NamedLock(this.databaseUrl, `topicdesk:cron:${job.name}`)
    try {
      if (!(await lock.tryAcquire())) {
        this.logger.debug({ job: job.name }, 'cron job runs elsewhere; skipped')
        return
      }
      await job.run()
    } catch (error) {
      this.logger.error({ err: error, job: job.name }, 'cron job failed')
    } finally {
      await lock.release()
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop()
    await Promise.all(this.running)
  }
}
