import type { RateLimitOptions } from '../../src/simulator/index.js'
import { RoundRobinBalancer } from '../balancer.js'
import type { ServiceSettings } from '../bench-world.js'
import type { BenchOptions } from '../options.js'
import { cpuBetween, cpuVerdict } from '../cpu-time.js'
import { InstanceSet, instancesCpuBetween, PollWatcher, type Instance } from '../instance-set.js'
import { measurePhase, type MeasureOptions, type PhaseResult } from '../phase.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { sleep } from '../stats.js'
import { TrafficGenerator, type SentMessage } from '../traffic.js'
import { witness } from '../witness.js'

const DEFAULT_RATE = 100
/** Shared-budget phase: Telegram's limits with the group budget scaled to 10/s per bot (real: 20/min), offered above it. */
const LIMITS: Required<RateLimitOptions> = { privatePerSecond: 1, privateBurst: 3, groupPerMinute: 600, globalPerSecond: 30 }
const BUDGET_RATE = 20
const TAKEOVER_TARGET_MS = 10_000
/** Longest wait for another instance to poll the bot / lead cron after a kill. */
const TAKEOVER_TIMEOUT_MS = 120_000
/** Rows a killed instance had claimed wait for its lease to run out (leases.ttlMs, 6 s) before another sends them; 90 s quiet leaves room for their own lease (60 s) too. */
const KILL_SETTLE = { quietMs: 90_000, timeoutMs: 300_000 }
/** Moments of the traffic window (fractions) of the kills. */
const TIMELINE = { pollerKill: 0.25, cronKill: 0.6, webhookKill: 0.4 }

/** Customers onboarded: --customers, else 300 (60 with --quick). */
export const instancesCustomers = (o: BenchOptions) => (o.customersGiven ? o.customers : o.quick ? 60 : 300)

/** Traffic that remembers what it sent last (the failover figures look at the messages of the gap). */
class RecordingTraffic extends TrafficGenerator {
  lastSent: SentMessage[] = []
  override async offer(count: number, rate?: number): Promise<SentMessage[]> {
    this.lastSent = await super.offer(count, rate)
    return this.lastSent
  }
}

/**
 * Several service instances on one database (bench/README.md "instances"): relay latency with 1
 * and 3 polling instances at the same offered rate; failover after kill -9 of the instance that
 * polls the client bot and of the cron leader; 0 × 429 with 3 instances sharing Telegram's
 * budgets; webhook mode behind a round-robin balancer with one instance killed mid-traffic.
 */
export async function runInstances(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options } = ctx
  const quick = options.quick
  const customers = instancesCustomers(options)
  const messages = options.messages ?? (quick ? 1000 : 3000)
  const rate = options.rate ?? DEFAULT_RATE
  const off: ServiceSettings = { workersPerClass: options.workers, budgets: false }
  const stage = await Stage.open(ctx.server, { label: 'instances', customers, csBots: 1, service: off, logPath: ctx.logPath('instances') })
  const set = new InstanceSet(stage.sim, stage.world, stage.database.url, ctx.logPath)
  const watcher = new PollWatcher(stage.sim)
  const traffic = new RecordingTraffic(stage.sim, stage.world.bots.client.id, stage.onboarded)
  const balancer = new RoundRobinBalancer()
  const startups: number[] = []
  const phase = (o: MeasureOptions) => measureAcross(stage, set, ctx, traffic, o)
  try {
    await untilIdle(stage)
    // Onboarding ran on the stage's own service; from here on, the set's instances serve.
    await stage.service.stop()
    startups.push(await set.start(await set.add(1, off)))
    const one = await phase({ name: '1 instance', messages, rate })
    await set.stopAll()
    startups.push(await set.start(await set.add(3, off)))
    await untilIdle(stage)
    const three = await phase({ name: '3 instances', messages, rate })
    const failover = await failoverPhase(stage, set, watcher, traffic, phase, messages, rate)
    await set.stopAll()
    stage.sim.setRateLimits(LIMITS)
    startups.push(await set.start(await set.add(3, { ...off, budgets: LIMITS })))
    await untilIdle(stage)
    // The planner holds rows back for the budget's window: a pause of more than 15 s is no sign of the end here.
    const budgets = await phase({
      name: '3 instances, shared budgets',
      messages: Math.round((messages / rate) * BUDGET_RATE * 2),
      rate: BUDGET_RATE,
      quietMs: 90_000,
      timeoutMs: 400_000,
      afterSettle: () => waitForEmptyOutbox(stage),
    })
    await set.stopAll()
    stage.sim.setRateLimits(false)
    const balancerPort = await balancer.start()
    const webhookInstances = await set.add(3, off, { publicUrl: `http://127.0.0.1:${balancerPort}`, secret: 'bench-webhook-secret-0123456789' })
    balancer.targets.push(...webhookInstances.map((i) => i.webhookPort))
    startups.push(await set.start(webhookInstances))
    await untilIdle(stage)
    const webhook = await webhookPhase(stage, set, balancer, phase, messages, rate)
    const phases = [one, three, failover, budgets, webhook]
    const p99 = (p: PhaseResult) => p.metrics['relay p99 ms']
    const detail = (p: PhaseResult, key: string) => p.detail[key] as Record<string, number | undefined> | undefined
    return {
      scenario: 'instances',
      summary: { ...stageSummary(stage), 'instance start s (longest)': Math.max(...startups) / 1000 },
      phases,
      figures: {
        relayP50Ms1: one.metrics['relay p50 ms'],
        relayP99Ms1: p99(one),
        relayP50Ms3: three.metrics['relay p50 ms'],
        relayP99Ms3: p99(three),
        relayP99Ratio: (p99(three) ?? NaN) / (p99(one) ?? NaN),
        pollTakeoverMs: detail(failover, 'pollerKill')?.takeoverMs,
        gapMessages: detail(failover, 'pollerKill')?.gapMessages,
        gapLost: detail(failover, 'pollerKill')?.gapLost,
        cronTakeoverMs: detail(failover, 'cronKill')?.takeoverMs,
        budgetE429: budgets.metrics['429 answers'],
        webhookRelayP99Ms: p99(webhook),
        webhookLost: webhook.metrics.lost,
        webhookDuplicated: webhook.metrics.duplicated,
        webhookOutOfOrder: webhook.metrics['out of order'],
        balancerFailovers: balancer.stats.failovers,
      },
      notes: [
        `Every phase offers client messages round-robin over the same ${customers} onboarded customers; "1 instance" and "3 instances" at ${rate}/s with rate budgets off (as capacity): 3 instances share one database and the 2 cores, so throughput cannot add; the target is relay p99 within 20 % of one instance's.`,
        `Failover (3 polling instances, ${rate}/s): at ${TIMELINE.pollerKill * 100} % of the window the instance that polls the client bot (the one holding the connection of its last getUpdates) gets SIGKILL; takeover = the next getUpdates for that bot (any instance); the killed one is restarted at once, as a supervisor would. At ${TIMELINE.cronKill * 100} % the cron leader (gauge topicdesk_cron_leader) gets SIGKILL; takeover = another instance reports itself leader. Target < ${TAKEOVER_TARGET_MS / 1000} s and 0 lost, the messages sent during the gap included.`,
        `Duplicate allowance at a kill: outbox rows in state sending just before it (claimed, maybe sent, not yet recorded: sent again once the killed instance's lease runs out). Victim rows in flight: those the killed instance had claimed (the kill waits up to ${IN_FLIGHT_WAIT_MS / 1000} s for one); in-flight sent ms: from the kill until every one of them is sent (webhook phase: every row sending at the kill).`,
        `Shared budgets: simulator limits and service budgets ${JSON.stringify(LIMITS)} (group budget scaled from 20/min), ${BUDGET_RATE} client msg/s offered: the CS group (one CS bot, 10/s) is saturated; 3 uncoordinated instances would each spend the whole budget.`,
        `Webhook: 3 instances behind bench/balancer.ts (round-robin; a refused or dropped connection goes to the next instance); the simulator re-posts an update until it gets a 2xx, as Telegram does (one update at a time per chat, chats in parallel up to max_connections, as telegram-bot-api does); at ${TIMELINE.webhookKill * 100} % one instance gets SIGKILL and stays down.`,
      ],
    }
  } finally {
    await set.close()
    await balancer.close()
    await stage.close()
  }
}

/** measurePhase with the service's CPU summed over the running instances (the stage's own service is stopped). */
async function measureAcross(stage: Stage, set: InstanceSet, ctx: ScenarioContext, traffic: TrafficGenerator, o: MeasureOptions): Promise<PhaseResult> {
  const before = set.sampleCpu()
  const result = await measurePhase(stage, ctx.server, traffic, o)
  const { before: b, after: a } = instancesCpuBetween(before, set.sampleCpu())
  const cpu = cpuBetween(b, a)
  const latency = (result.detail.witness as { copyLatencyMs: { max?: number } }).copyLatencyMs
  Object.assign(result.metrics, cpu, { instances: set.running().length, 'relay max ms': latency.max })
  result.detail.cpuVerdict = cpuVerdict(o.name, cpu)
  // A copy the witness misses is lost only if its row is not still pending: the outbox says which.
  result.detail.outboxAtEnd = await stage.database.outboxStates().catch(() => undefined)
  return result
}

async function failoverPhase(
  stage: Stage,
  set: InstanceSet,
  watcher: PollWatcher,
  traffic: RecordingTraffic,
  phase: (o: MeasureOptions) => Promise<PhaseResult>,
  messages: number,
  rate: number,
) {
  const windowMs = (messages / rate) * 1000
  const token = stage.world.bots.client.token
  const from = stage.sim.stats().sent
  const result = await phase({
    name: 'failover (3 instances)',
    messages,
    rate,
    ...KILL_SETTLE,
    during: async (startedAt) => {
      const at = (fraction: number) => sleep(Math.max(0, startedAt + fraction * windowMs - Date.now()))
      await at(TIMELINE.pollerKill)
      const pollerKill = await killPoller(stage, set, watcher, token)
      await at(TIMELINE.cronKill)
      const cronKill = await killCronLeader(stage, set)
      return { pollerKill, cronKill }
    },
    afterSettle: () => waitForEmptyOutbox(stage),
  })
  await explainDuplicates(stage, result)
  result.metrics['in-flight sent ms (poller kill)'] = await inFlightSentMs(result.detail, 'pollerKill')
  result.metrics['in-flight sent ms (cron kill)'] = await inFlightSentMs(result.detail, 'cronKill')
  result.metrics['victim rows in flight (poller kill)'] = (result.detail.pollerKill as { victimRowsSending?: number }).victimRowsSending
  result.metrics['victim rows in flight (cron kill)'] = (result.detail.cronKill as { victimRowsSending?: number }).victimRowsSending
  // The messages clients sent while no instance polled the bot: each must still arrive once.
  const kill = result.detail.pollerKill as { killedAt: number; takeoverAt?: number } & Record<string, unknown>
  const gap = traffic.lastSent.filter((m) => m.sentAt >= kill.killedAt && m.sentAt <= (kill.takeoverAt ?? Infinity))
  const report = witness(stage.deliveriesSince(from), gap)
  Object.assign(kill, { gapMessages: gap.length, gapLost: report.lost, gapDuplicated: report.duplicated })
  result.metrics['poll takeover ms'] = kill.takeoverMs as number | undefined
  result.metrics['gap messages'] = gap.length
  result.metrics['gap lost'] = report.lost
  result.metrics['cron takeover ms'] = (result.detail.cronKill as { takeoverMs?: number }).takeoverMs
  result.metrics['duplicate allowance'] = ((kill.rowsSending as number) ?? 0) + (((result.detail.cronKill as { rowsSending?: number }).rowsSending as number) ?? 0)
  return result
}

/** SIGKILL for the instance that polls `token`; the time until any instance polls it again. The killed one is restarted. */
async function killPoller(stage: Stage, set: InstanceSet, watcher: PollWatcher, token: string) {
  let victim: Instance | undefined
  for (let tries = 0; !victim && tries < 50; tries++) {
    const last = watcher.last(token)
    victim = last ? set.ownerOfLocalPort(last.port) : undefined
    if (!victim) await sleep(100)
  }
  if (!victim) return { killedAt: Date.now(), error: 'no instance found polling the client bot' }
  const inFlight = await inFlightAtKill(stage, `poll:${stage.world.bots.client.id}`)
  const killedAt = Date.now()
  await victim.process.kill()
  const inFlightSent = inFlight.sent(killedAt)
  // The first getUpdates since the kill from a survivor (one the victim sent as it died is not a takeover).
  let next: { at: number; by: string } | undefined
  let seen = 0
  while (!next && Date.now() - killedAt < TAKEOVER_TIMEOUT_MS) {
    const polls = watcher.since(token, killedAt)
    for (const poll of polls.slice(seen)) {
      const owner = set.ownerOfLocalPort(poll.port)
      if (owner && owner !== victim) next ??= { at: poll.at, by: owner.name }
    }
    seen = polls.length
    if (!next) await sleep(20)
  }
  return killReport(victim, killedAt, inFlight, inFlightSent, next ?? {})
}

/** SIGKILL for the instance whose /metrics says it leads cron; the time until another says so. Skipped without the gauge. */
async function killCronLeader(stage: Stage, set: InstanceSet) {
  const leaderOf = async (instances: Instance[]) => {
    const gauges = await Promise.all(instances.map((i) => i.gauge('topicdesk_cron_leader')))
    return { gauges, leader: instances[gauges.indexOf(1)] }
  }
  let found = await leaderOf(set.running())
  if (found.gauges.every((g) => g === undefined)) return { skipped: 'no topicdesk_cron_leader gauge in /metrics: cron runs take a named lock per run, no instance leads' }
  const deadline = Date.now() + TAKEOVER_TIMEOUT_MS
  while (!found.leader && Date.now() < deadline) {
    await sleep(100)
    found = await leaderOf(set.running())
  }
  const victim = found.leader
  if (!victim) return { error: 'no instance reported itself cron leader' }
  const inFlight = await inFlightAtKill(stage, 'cron')
  const killedAt = Date.now()
  await victim.process.kill()
  const inFlightSent = inFlight.sent(killedAt)
  const survivors = set.running()
  let next = await leaderOf(survivors)
  while (!next.leader && Date.now() - killedAt < TAKEOVER_TIMEOUT_MS) {
    await sleep(100)
    next = await leaderOf(survivors)
  }
  return killReport(victim, killedAt, inFlight, inFlightSent, next.leader ? { at: Date.now(), by: next.leader.name } : {})
}

type InFlightAtKill = Awaited<ReturnType<typeof inFlightAtKill>>

/** Restarts the killed instance and reports the kill: what it had in flight, who took over, when. */
async function killReport(victim: Instance, killedAt: number, inFlight: InFlightAtKill, inFlightSent: ReturnType<InFlightAtKill['sent']>, takeover: { at?: number; by?: string }) {
  const restartMs = await victim.start()
  return {
    killed: victim.name,
    killedAt,
    rowsSending: inFlight.rows,
    victimRowsSending: inFlight.victimRows,
    inFlightSent,
    takeoverAt: takeover.at,
    takeoverMs: takeover.at === undefined ? undefined : takeover.at - killedAt,
    takenOverBy: takeover.by,
    restartMs,
  }
}

async function webhookPhase(stage: Stage, set: InstanceSet, balancer: RoundRobinBalancer, phase: (o: MeasureOptions) => Promise<PhaseResult>, messages: number, rate: number) {
  const windowMs = (messages / rate) * 1000
  const result = await phase({
    name: 'webhook (3 instances, 1 killed)',
    messages,
    rate,
    ...KILL_SETTLE,
    during: async (startedAt) => {
      await sleep(Math.max(0, startedAt + TIMELINE.webhookKill * windowMs - Date.now()))
      const victim = set.running()[1]!
      const inFlight = await inFlightAtKill(stage)
      const killedAt = Date.now()
      await victim.process.kill()
      return { webhookKill: { killed: victim.name, at: killedAt - startedAt, rowsSending: inFlight.rows, inFlightSent: inFlight.sent(killedAt) } }
    },
    afterSettle: () => waitForEmptyOutbox(stage),
  })
  await explainDuplicates(stage, result)
  result.metrics['in-flight sent ms'] = await inFlightSentMs(result.detail, 'webhookKill')
  result.metrics['duplicate allowance'] = (result.detail.webhookKill as { rowsSending: number }).rowsSending
  result.metrics['balancer failovers'] = balancer.stats.failovers
  result.metrics['balancer 502s'] = balancer.stats.unanswered
  result.detail.balancer = { ...balancer.stats }
  return result
}

/** Longest wait, before a kill, for the victim to have an outbox row in flight (so the figure below has one to time). */
const IN_FLIGHT_WAIT_MS = 3000

/**
 * The outbox rows in flight (state sending) just before a kill. With `lease` (the victim's: the
 * client bot's poll lease, cron), waits up to IN_FLIGHT_WAIT_MS for its holder to have a row in
 * flight and times only its rows: `sent(killedAt)` resolves to the ms from the kill until every one
 * of them is sent (or dead), undefined after KILL_SETTLE's timeout. They are sent again once the
 * killed instance's claims are released, so this is when its destinations' next copies may follow.
 */
async function inFlightAtKill(stage: Stage, lease?: string) {
  const query = async <Row>(sql: string, values?: unknown[]) => ((await stage.database.query(sql, values).catch(() => [])) as Row[]) ?? []
  const victim = lease ? (await query<{ holder: string | null }>(`SELECT holder FROM leases WHERE name = ?`, [lease]))[0]?.holder : undefined
  const victimRows = async () => (await query<{ id: number }>(`SELECT id FROM outbox WHERE state = 'sending' AND claimed_by = ?`, [victim])).map((row) => Number(row.id))
  let ids: number[] = []
  if (victim) for (const until = Date.now() + IN_FLIGHT_WAIT_MS; (ids = await victimRows()).length === 0 && Date.now() < until;) await sleep(20)
  const all = await query<{ id: number }>(`SELECT id FROM outbox WHERE state = 'sending'`)
  if (!victim) ids = all.map((row) => Number(row.id))
  const sent = async (killedAt: number): Promise<number | undefined> => {
    while (ids.length > 0 && Date.now() - killedAt < KILL_SETTLE.timeoutMs) {
      const left = await query<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending') AND id IN (?)`, [ids])
      if (Number(left[0]?.n ?? 1) === 0) return Date.now() - killedAt
      await sleep(100)
    }
    return ids.length > 0 ? undefined : 0
  }
  return { rows: all.length, victimRows: ids.length, sent }
}

/** The in-flight figure of one kill's detail, once its rows are all sent; the detail keeps the number. */
async function inFlightSentMs(detail: Record<string, unknown>, kill: string): Promise<number | undefined> {
  const entry = detail[kill] as { inFlightSent?: Promise<number | undefined> | number } | undefined
  if (!entry?.inFlightSent) return undefined
  entry.inFlightSent = await entry.inFlightSent
  return entry.inFlightSent
}

/**
 * Where each duplicated copy came from, read from the database: a copy whose one outbox row was
 * attempted more than once (claimed by the killed instance, sent again after its lease) is the
 * at-least-once allowance; more relay links or outbox rows than copies would be the message
 * relayed twice (a bug).
 */
async function explainDuplicates(stage: Stage, result: PhaseResult): Promise<void> {
  const samples = (result.detail.witness as { samples: { duplicated: Array<{ tag: string }> } }).samples.duplicated
  const tags = [...new Set(samples.map((d) => d.tag))]
  result.detail.duplicates = await Promise.all(
    tags.map(async (tag) => {
      const rows = (await stage.database.query(
        `SELECT l.id AS link, l.chat_id AS chat,
           (SELECT COUNT(*) FROM outbox o WHERE JSON_VALUE(o.job, '$.type') = 'relay' AND JSON_VALUE(o.job, '$.linkId') = l.id) AS outboxRows,
           (SELECT MAX(attempts) FROM outbox o WHERE JSON_VALUE(o.job, '$.type') = 'relay' AND JSON_VALUE(o.job, '$.linkId') = l.id) AS attempts
         FROM messages m JOIN relay_links l ON l.message_id = m.id WHERE m.text LIKE ?`,
        [`%${tag}%`],
      )) as Array<{ link: number; chat: number; outboxRows: number; attempts: number | null }>
      return { tag, copies: rows.map((r) => ({ link: Number(r.link), chat: Number(r.chat), outboxRows: Number(r.outboxRows), attempts: Number(r.attempts ?? 0) })) }
    }),
  )
}

/** Nothing left to do: no update unhandled, no outbox row in flight or due. */
async function untilIdle(stage: Stage): Promise<void> {
  const settleBy = Date.now() + 120_000
  while ((await stage.database.workLeft()) > 0) {
    if (Date.now() > settleBy) throw new Error('the service still had work left after 120 s')
    await sleep(200)
  }
  await sleep(500)
}

/** No outbox row left pending or sending (a killed instance's claimed rows wait out their lease). */
async function waitForEmptyOutbox(stage: Stage): Promise<void> {
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    const states = await stage.database.outboxStates().catch((): Record<string, number> => ({}))
    if (!states.pending && !states.sending) return
    await sleep(1000)
  }
}
