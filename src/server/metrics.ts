import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import type { FailureClass } from '../delivery/classify-error.js'
import type { DeliveryObserver } from '../delivery/observer.js'
import { DESTINATION_PREFIX } from '../delivery/destination.js'
import type { ClaimedJob } from '../delivery/outbox.js'
import type { UpdateOutcome } from '../bots/ingress/polling.js'

/** Names of every metric, in one place (the README lists them). */
export const METRIC_NAMES = [
  'topicdesk_updates_total',
  'topicdesk_outbox_rows',
  'topicdesk_send_duration_seconds',
  'topicdesk_send_attempts_total',
  'topicdesk_send_failures_total',
  'topicdesk_rate_limited_total',
  'topicdesk_retry_after_seconds',
  'topicdesk_planner_deferrals_total',
  'topicdesk_group_backlog_minutes',
  'topicdesk_customers',
  'topicdesk_reminders_total',
] as const

/**
 * The service's Prometheus metrics, on a registry of its own (several apps can share a process).
 * Counters move with traffic; row counts (outbox, backlog, customers) are read from the
 * database when scraped, so every instance reports the same shared state.
 */
export class Metrics implements DeliveryObserver {
  readonly registry = new Registry()
  private readonly updates = new Counter({
    name: 'topicdesk_updates_total',
    help: 'Updates by bot and outcome (received, handled, failed, duplicate)',
    labelNames: ['bot', 'outcome'],
    registers: [this.registry],
  })
  private readonly sendDuration = new Histogram({
    name: 'topicdesk_send_duration_seconds',
    help: 'Time of one outbox job against Telegram, by lane and job type',
    labelNames: ['lane', 'job'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  })
  private readonly attempts = new Counter({
    name: 'topicdesk_send_attempts_total',
    help: 'Outbox send attempts by lane and outcome (sent, failed)',
    labelNames: ['lane', 'outcome'],
    registers: [this.registry],
  })
  private readonly failures = new Counter({ name: 'topicdesk_send_failures_total', help: 'Failed sends by failure class', labelNames: ['class'], registers: [this.registry] })
  private readonly rateLimited = new Counter({ name: 'topicdesk_rate_limited_total', help: '429 answers from Telegram, by bot', labelNames: ['bot'], registers: [this.registry] })
  private readonly retryAfter = new Histogram({
    name: 'topicdesk_retry_after_seconds',
    help: 'retry_after of 429 answers',
    buckets: [1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  })
  private readonly deferrals = new Counter({
    name: 'topicdesk_planner_deferrals_total',
    help: 'Rows the planner put back to stay within a bot budget, by bot',
    labelNames: ['bot'],
    registers: [this.registry],
  })

  private readonly reminderCounter = new Counter({
    name: 'topicdesk_reminders_total',
    help: 'Unanswered reminders fired, by project and stage (reminder: the owner pinged; escalation: the CS leads told)',
    labelNames: ['project', 'stage'],
    registers: [this.registry],
  })

  constructor(db: Database, options: { groupPerMinute?: number; poolSizeOfChat?: (chatId: number) => number } = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: 'topicdesk_' })
    new Gauge({
      name: 'topicdesk_outbox_rows',
      help: 'Outbox rows by lane and state',
      labelNames: ['lane', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset()
        const [rows] = (await db.execute(sql`SELECT lane, state, COUNT(*) AS n FROM outbox GROUP BY lane, state`)) as unknown as [Array<{ lane: string; state: string; n: number }>]
        for (const row of rows) this.set({ lane: row.lane, state: row.state }, Number(row.n))
      },
    })
    new Gauge({
      name: 'topicdesk_group_backlog_minutes',
      help: 'Minutes a staff group needs to drain its pending rows at its send budget (all bots of its pool)',
      labelNames: ['chat'],
      registers: [this.registry],
      async collect() {
        this.reset()
        const perMinute = options.groupPerMinute ?? 20
        // Destinations as `delivery/destination.ts` writes them; only group chats (< 0) have a group budget.
        const { chat, topic, system_topic: system } = DESTINATION_PREFIX
        const [rows] = (await db.execute(sql`
          SELECT COALESCE(t.chat_id, s.chat_id, IF(o.destination LIKE ${`${chat}-%`}, CAST(SUBSTRING(o.destination, ${chat.length + 1}) AS SIGNED), NULL)) AS chat, COUNT(*) AS n
          FROM outbox o
          LEFT JOIN topics t ON o.destination = CONCAT(${topic}, t.id)
          LEFT JOIN system_topics s ON o.destination = CONCAT(${system}, s.id)
          WHERE o.state IN ('pending', 'sending') GROUP BY chat HAVING chat < 0`)) as unknown as [Array<{ chat: number; n: number }>]
        for (const row of rows) this.set({ chat: String(row.chat) }, Number(row.n) / (perMinute * (options.poolSizeOfChat?.(Number(row.chat)) ?? 1)))
      },
    })
    new Gauge({
      name: 'topicdesk_customers',
      help: 'Customers by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        this.reset()
        const [rows] = (await db.execute(sql`SELECT state, COUNT(*) AS n FROM customers GROUP BY state`)) as unknown as [Array<{ state: string; n: number }>]
        for (const row of rows) this.set({ state: row.state }, Number(row.n))
      },
    })
  }

  update(botId: number, outcome: UpdateOutcome): void {
    this.updates.inc({ bot: String(botId), outcome })
  }

  sendFinished(job: ClaimedJob, seconds: number, failure?: FailureClass): void {
    this.sendDuration.observe({ lane: job.lane, job: job.job.type }, seconds)
    this.attempts.inc({ lane: job.lane, outcome: failure ? 'failed' : 'sent' })
    if (!failure) return
    this.failures.inc({ class: failure.kind })
    if (failure.kind === 'rate_limited') {
      this.rateLimited.inc({ bot: String(job.botId) })
      this.retryAfter.observe(failure.retryAfterSeconds)
    }
  }

  reminders(project: string, stage: string, count: number): void {
    this.reminderCounter.inc({ project, stage }, count)
  }

  deferred(job: ClaimedJob): void {
    this.deferrals.inc({ bot: String(job.botId) })
  }

  text(): Promise<string> {
    return this.registry.metrics()
  }
}
