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
  /** One lock per job, its connection kept between runs (a job may run every second). */
  private readonly locks = new Map<string, NamedLock>()
  /** Jobs running in this process: a named lock is re-entrant on its connection, so a second run here is skipped by name. */
  private readonly inProcess = new Set<string>()

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
    if (this.inProcess.has(job.name)) {
      this.logger.debug({ job: job.name }, 'cron job already runs here; skipped')
      return
    }
    this.inProcess.add(job.name)
    let lock = this.locks.get(job.name)
    if (!lock) this.locks.set(job.name, (lock = new NamedLock(this.databaseUrl, `topicdesk:cron:${job.name}`)))
    try {
      if (!(await lock.tryAcquire())) {
        this.logger.debug({ job: job.name }, 'cron job runs elsewhere; skipped')
        return
      }
      await job.run()
    } catch (error) {
      this.logger.error({ err: error, job: job.name }, 'cron job failed')
    } finally {
      await lock.unlock()
      this.inProcess.delete(job.name)
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop()
    await Promise.all(this.running)
    for (const lock of this.locks.values()) await lock.release()
    this.locks.clear()
  }
}
