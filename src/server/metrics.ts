import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { sql } from 'drizzle-orm'
import type { Pool } from 'mysql2/promise'
import type { Database } from '../db/client.js'
import type { LinkWithMessage } from '../db/repositories/relay.js'
import { classOfStored, priorityClasses } from '../db/schema/index.js'
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
  'topicdesk_client_message_delivery_seconds',
  'topicdesk_update_handling_seconds',
  'topicdesk_outbox_oldest_waiting_seconds',
  'topicdesk_db_pool_connections',
  'topicdesk_db_pool_waiting',
  'topicdesk_bot_failing',
  'topicdesk_bot_polling',
  'topicdesk_cron_leader',
] as const

export interface MetricsOptions {
  groupPerMinute?: number
  poolSizeOfChat?: (chatId: number) => number
  /** A project's key by its row id (label of the delivery histogram). */
  projectKeyOf?: (projectId: number) => string | undefined
  /** The mysql2 pools to report, by name (`main`, `delivery`). */
  pools?: Record<string, Pool>
}

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
    help: 'Time of one outbox job against Telegram, by priority class and job type',
    labelNames: ['class', 'job'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  })
  private readonly attempts = new Counter({
    name: 'topicdesk_send_attempts_total',
    help: 'Outbox send attempts by priority class and outcome (sent, failed)',
    labelNames: ['class', 'outcome'],
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

  private readonly clientDelivery = new Histogram({
    name: 'topicdesk_client_message_delivery_seconds',
    help: "From a client's message received to its copy delivered in a staff topic, by project and role of the topic",
    labelNames: ['project', 'role'],
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
    registers: [this.registry],
  })
  private readonly handling = new Histogram({
    name: 'topicdesk_update_handling_seconds',
    help: "Time the handlers took for one update, by the receiving bot's role",
    labelNames: ['role'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  })

  private readonly reminderCounter = new Counter({
    name: 'topicdesk_reminders_total',
    help: 'Unanswered reminders fired, by project and stage (reminder: the owner pinged; escalation: the CS leads told)',
    labelNames: ['project', 'stage'],
    registers: [this.registry],
  })

  // The assistant's provider (src/assistant/openai-provider.ts): calls, tokens, latency.
  private readonly assistantRequests = new Counter({
    name: 'topicdesk_assistant_requests_total',
    help: 'Assistant provider calls by project, purpose and outcome (ok, timeout, rate_limited, failed, cap_reached)',
    labelNames: ['project', 'purpose', 'outcome'],
    registers: [this.registry],
  })
  private readonly assistantTokens = new Counter({
    name: 'topicdesk_assistant_tokens_total',
    help: 'Tokens the assistant spent, as the provider counted them, by project',
    labelNames: ['project'],
    registers: [this.registry],
  })
  private readonly assistantLatency = new Histogram({
    name: 'topicdesk_assistant_request_seconds',
    help: 'Time of one assistant provider call (retries included), by project and purpose',
    labelNames: ['project', 'purpose'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  })

  constructor(
    db: Database,
    private readonly options: MetricsOptions = {},
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'topicdesk_' })
    new Gauge({
      name: 'topicdesk_outbox_oldest_waiting_seconds',
      help: 'Age of the oldest row not yet sent (pending or sending), by priority class; 0 when the class is empty',
      labelNames: ['class'],
      registers: [this.registry],
      async collect() {
        // The oldest waiting row is the lowest id of its class: one pass over outbox_due_idx (state, class, id).
        const [rows] = (await db.execute(sql`
          SELECT o.class, TIMESTAMPDIFF(MICROSECOND, o.created_at, UTC_TIMESTAMP(3)) / 1000000 AS age
          FROM outbox o JOIN (SELECT MIN(id) AS id FROM outbox WHERE state IN ('pending', 'sending') GROUP BY state, class) w ON o.id = w.id`)) as unknown as [
          Array<{ class: string; age: number | string }>,
        ]
        const oldest = new Map<string, number>(priorityClasses.map((priorityClass) => [priorityClass, 0]))
        for (const row of rows) oldest.set(row.class, Math.max(oldest.get(row.class) ?? 0, Number(row.age)))
        for (const [priorityClass, age] of oldest) this.set({ class: priorityClass }, age)
      },
    })
    const pools = Object.entries(options.pools ?? {})
    // mysql2 keeps its pool's state in fields of the core pool; read at scrape time.
    const stateOf = (pool: Pool) => pool.pool as unknown as { _allConnections: { length: number }; _freeConnections: { length: number }; _connectionQueue: { length: number } }
    new Gauge({
      name: 'topicdesk_db_pool_connections',
      help: 'Connections of a database pool: in_use (lent to a query or transaction) and idle',
      labelNames: ['pool', 'state'],
      registers: [this.registry],
      collect() {
        for (const [name, pool] of pools) {
          const state = stateOf(pool)
          this.set({ pool: name, state: 'in_use' }, state._allConnections.length - state._freeConnections.length)
          this.set({ pool: name, state: 'idle' }, state._freeConnections.length)
        }
      },
    })
    new Gauge({
      name: 'topicdesk_db_pool_waiting',
      help: 'Callers waiting for a connection of a full database pool',
      labelNames: ['pool'],
      registers: [this.registry],
      collect() {
        for (const [name, pool] of pools) this.set({ pool: name }, stateOf(pool)._connectionQueue.length)
      },
    })
    new Gauge({
      name: 'topicdesk_outbox_rows',
      help: 'Outbox rows by priority class and state',
      labelNames: ['class', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset()
        const [rows] = (await db.execute(sql`SELECT class, state, COUNT(*) AS n FROM outbox GROUP BY class, state`)) as unknown as [
          Array<{ class: string; state: string; n: number }>,
        ]
        // Sent rows of an older release still name their lane: counted with their class.
        for (const row of rows) this.inc({ class: classOfStored(row.class), state: row.state }, Number(row.n))
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

  /** This instance's share of the work: the bots it polls, and whether it runs cron (leases). */
  leadership(source: { polling: () => Iterable<[number, boolean]>; cronLeader: () => boolean }): void {
    new Gauge({
      name: 'topicdesk_bot_polling',
      help: 'Whether this instance polls the bot (1) or another instance does (0, standby or failing)',
      labelNames: ['bot'],
      registers: [this.registry],
      collect() {
        for (const [botId, polling] of source.polling()) this.set({ bot: String(botId) }, polling ? 1 : 0)
      },
    })
    new Gauge({
      name: 'topicdesk_cron_leader',
      help: 'Whether this instance runs the cron jobs (holds the cron lease)',
      registers: [this.registry],
      collect() {
        this.set(source.cronLeader() ? 1 : 0)
      },
    })
  }

  update(botId: number, outcome: UpdateOutcome): void {
    this.updates.inc({ bot: String(botId), outcome })
  }

  sendFinished(job: ClaimedJob, seconds: number, failure?: FailureClass): void {
    this.sendDuration.observe({ class: job.class, job: job.job.type }, seconds)
    this.attempts.inc({ class: job.class, outcome: failure ? 'failed' : 'sent' })
    if (!failure) return
    this.failures.inc({ class: failure.kind })
    if (failure.kind === 'rate_limited') {
      this.rateLimited.inc({ bot: String(job.botId) })
      this.retryAfter.observe(failure.retryAfterSeconds)
    }
  }

  /** A relayed copy was posted: a client's message copied into a staff topic is timed from its arrival. */
  copyDelivered({ link, message, topic }: LinkWithMessage): void {
    if (message.origin !== 'client' || link.kind !== 'relay' || !topic) return
    const project = this.options.projectKeyOf?.(link.projectId) ?? String(link.projectId)
    this.clientDelivery.observe({ project, role: topic.role }, Math.max(0, (Date.now() - message.createdAt.getTime()) / 1000))
  }

  /** grammY middleware timing the handlers of each update (install after the ordering middleware). */
  handlerTiming(role: string) {
    return async (_ctx: unknown, next: () => Promise<void>): Promise<void> => {
      const end = this.handling.startTimer({ role })
      try {
        await next()
      } finally {
        end()
      }
    }
  }

  reminders(project: string, stage: string, count: number): void {
    this.reminderCounter.inc({ project, stage }, count)
  }

  assistantCall(call: { project: string; purpose: string; outcome: string; seconds: number; tokens: number }): void {
    this.assistantRequests.inc({ project: call.project, purpose: call.purpose, outcome: call.outcome })
    if (call.tokens > 0) this.assistantTokens.inc({ project: call.project }, call.tokens)
    if (call.outcome !== 'cap_reached') this.assistantLatency.observe({ project: call.project, purpose: call.purpose }, call.seconds)
  }

  deferred(job: ClaimedJob): void {
    this.deferrals.inc({ bot: String(job.botId) })
  }

  text(): Promise<string> {
    return this.registry.metrics()
  }
}
