import type { Delivery } from '../../src/simulator/index.js'
import { seedHistory } from '../history-seed.js'
import type { PhaseResult } from '../phase.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { distribution, sleep } from '../stats.js'
import { destinationKey, type SentMessage } from '../traffic.js'
import { witness } from '../witness.js'

export const DEFAULT_CUSTOMERS = 100
const DEFAULT_HISTORY = 200
/** Customers are onboarded into team A and all moved to team B. */
const TEAM_A = 'north'
const TEAM_B = 'south'
/** The first minute is left out of the steady window: a sliding 60 s window allows a burst at the start. */
const STEADY_SKIP_MS = 60_000
const STEADY_WINDOW_MS = 120_000
const OUTBOX_DRAIN_TIMEOUT_MS = 120_000
const REPLAY_LABEL = /^↩ /
const MOVED_HERE = /^🔀 Moved here from .* \((\d+) messages\)/
const END_OF_HISTORY = 'End of history'
/** An answer later than this (from its command) has its outbox row shown in the JSON's detail. */
const LATE_ANSWER_S = 10
/**
 * The records sync (every 15 min) moves a customer to the team the account records name; with
 * 100 moves handled one after another for minutes it would move customers on its own (or back):
 * it runs once a year here, so every move is the lead's command.
 */
const RECORDS_SYNC_OFF = '0 0 1 1 *'

/**
 * 100 customers with 200 messages of history each are moved from CR team A to team B at once
 * (`/reassign south now` by the CS lead in every CS topic), under Telegram's limits with a
 * scaled group budget and a pool of CR bots: the replay rate into group B against its ceiling
 * (group budget × pool), the 429s, the total time, and lost / duplicated / out-of-order copies.
 */
export async function runReassign(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options } = ctx
  const customers = options.customersGiven ? options.customers : DEFAULT_CUSTOMERS
  const history = options.messages ?? DEFAULT_HISTORY
  const limits = { privatePerSecond: 1, privateBurst: 3, groupPerMinute: options.groupPerMinute, globalPerSecond: 30 }
  const ceilingPerMinute = limits.groupPerMinute * options.crBots
  const stage = await Stage.open(ctx.server, {
    label: 'reassign',
    customers,
    csBots: 1,
    crBots: options.crBots,
    crTeam: TEAM_A,
    service: { workersPerClass: options.workers, budgets: false, recordsSync: RECORDS_SYNC_OFF },
    logPath: ctx.logPath('reassign'),
  })
  try {
    const seedStarted = Date.now()
    const seededRows = await seedHistory(stage.sim, stage.world, stage.database, stage.onboarded, history)
    await waitForEmptyOutbox(stage)
    const seedMs = Date.now() - seedStarted
    stage.sim.setRateLimits(limits)
    await stage.restartService({ workersPerClass: options.workers, budgets: limits, recordsSync: RECORDS_SYNC_OFF })
    const questionsBefore = await ctx.server.questions()
    const phase = await measureMoves(stage, { history, ceilingPerMinute, windowMs: options.reassignSeconds * 1000 })
    // A count, not a time: what each replayed copy cost the database (claims, plans, deferrals, records).
    phase.metrics['DB queries / replayed copy'] = ((await ctx.server.questions()) - questionsBefore) / Math.max(1, Number(phase.metrics['replay copies (↩ label)'] ?? 0))
    phase.metrics['history rows seeded'] = seededRows
    phase.metrics['seeding s'] = seedMs / 1000
    phase.detail.outboxAtEnd = await stage.database.outboxStates()
    // The outbox rows of answers that came late: when queued, when last changed, attempts and last error (where a stall shows).
    phase.detail.lateAnswerRows = await stage.database.query(
      `SELECT id, class, state, attempts, last_error, created_at, next_attempt_at, updated_at, TIMESTAMPDIFF(MICROSECOND, created_at, updated_at) / 1e6 AS took_s
       FROM outbox WHERE job LIKE '%is moving to%' AND TIMESTAMPDIFF(MICROSECOND, created_at, updated_at) > ${LATE_ANSWER_S} * 1e6 ORDER BY id`,
    )
    return {
      scenario: 'reassign',
      summary: stageSummary(stage),
      phases: [phase],
      figures: { moveAnswerP50S: phase.metrics['move answer p50 s'], moveAnswerP99S: phase.metrics['move answer p99 s'], moveAnswerMaxS: phase.metrics['move answer max s'] },
      notes: [
        `History: per customer messages 1 (client) and 2 (CS lead) sent through the simulator, the other ${history - 2} seeded into the messages table as copies of those stored rows (new message_id/text/raw), before Telegram's limits were switched on.`,
        `Simulator limits ${JSON.stringify(limits)} (real Telegram: groupPerMinute 20; scaled here) and the same planner budgets; ${options.crBots} CR bot(s), each an admin of both CR groups: ceiling ${ceilingPerMinute}/min into group B.`,
        `Steady window: ${STEADY_WINDOW_MS / 1000} s starting ${STEADY_SKIP_MS / 1000} s after the first replayed copy (the first minute may burst up to a whole window's budget). Time is measured from the first /reassign command.`,
        `cron.recordsSync runs once a year here: the account records still name ${TEAM_A}, and the sync would move customers back (or on its own) at the next quarter hour.`,
        `"total s" is measured when every copy arrived within ${options.reassignSeconds} s; otherwise "total s (projected)" = elapsed + backlog ÷ steady rate.`,
      ],
    }
  } finally {
    await stage.close()
  }
}

async function measureMoves(stage: Stage, o: { history: number; ceilingPerMinute: number; windowMs: number }): Promise<PhaseResult> {
  const { sim, world } = stage
  const groupB = world.groups[TEAM_B].id
  const cs = world.groups.cs.id
  const crBots = new Set(world.bots.cr.map((b) => b.id))
  const from = sim.stats().sent
  const before = sim.stats()
  const startedAt = Date.now()
  for (const { topics } of stage.onboarded) {
    sim.sendGroup(world.lead.id, cs, { text: `/reassign ${TEAM_B} now` }, { threadId: topics.find((t) => t.chatId === cs)?.threadId })
  }
  const customers = stage.onboarded.length
  const intoB = () => stage.deliveriesSince(from).filter((d) => d.chatId === groupB && crBots.has(d.botId))
  let finished = false
  while (Date.now() - startedAt < o.windowMs) {
    const b = intoB()
    const ends = b.filter((d) => d.text?.includes(END_OF_HISTORY)).length
    if (ends >= customers) {
      finished = true
      break
    }
    await sleep(2000)
  }
  const endedAt = Date.now()
  const after = sim.stats()
  const b = intoB()
  const all = stage.deliveriesSince(from)
  const replayed = b.filter((d) => REPLAY_LABEL.test(d.text ?? ''))
  const csSends = all.filter((d) => d.chatId === cs)
  const movesAnswered = csSends.filter((d) => d.text?.includes('is moving to'))
  const answerTimes = distribution(movesAnswered.map((d) => (d.at - startedAt) / 1000))
  const queuedHistory = b.reduce((sum, d) => sum + Number(MOVED_HERE.exec(d.text ?? '')?.[1] ?? 0), 0)
  const report = witness(b, expectedCopies(stage, groupB, o.history, startedAt))
  const firstCopyAt = replayed[0]?.at
  const lastCopyAt = replayed.at(-1)?.at
  const steadyFrom = firstCopyAt === undefined ? undefined : firstCopyAt + STEADY_SKIP_MS
  const steadyTo = steadyFrom === undefined ? undefined : Math.min(steadyFrom + STEADY_WINDOW_MS, finished ? (lastCopyAt ?? 0) : endedAt)
  const steadyMs = steadyFrom !== undefined && steadyTo !== undefined ? steadyTo - steadyFrom : 0
  const perMinuteIn = (list: Delivery[], fromAt: number, toAt: number) => (list.filter((d) => d.at >= fromAt && d.at < toAt).length / (toAt - fromAt)) * 60_000
  const steadyReplay = steadyMs >= 30_000 ? perMinuteIn(replayed, steadyFrom!, steadyTo!) : undefined
  const steadySends = steadyMs >= 30_000 ? perMinuteIn(b, steadyFrom!, steadyTo!) : undefined
  const wholeReplay = firstCopyAt !== undefined && lastCopyAt !== undefined && lastCopyAt > firstCopyAt ? (replayed.length / (lastCopyAt - firstCopyAt)) * 60_000 : undefined
  const backlog = report.expectedCopies - report.deliveredCopies
  const lastEnd = b.filter((d) => d.text?.includes(END_OF_HISTORY)).at(-1)?.at
  return {
    name: `${customers} × ${o.history} moved`,
    metrics: {
      customers,
      'history per customer': o.history,
      'expected replayed copies': report.expectedCopies,
      'replayed copies (tagged)': report.deliveredCopies,
      'replay copies (↩ label)': replayed.length,
      'history rows queued (per "Moved here")': queuedHistory,
      'moves answered': movesAnswered.length,
      'moves by records sync': all.filter((d) => d.chatId === cs && d.text?.includes('by the account records')).length,
      'all moves answered s': movesAnswered.length >= customers ? ((movesAnswered.at(-1)?.at ?? startedAt) - startedAt) / 1000 : undefined,
      // From the commands (all sent at once) to each answer in the CS group; an answer never given counts as the whole wait.
      'move answer p50 s': answerTimes.p50,
      'move answer p99 s': movesAnswered.length >= customers ? answerTimes.p99 : o.windowMs / 1000,
      'move answer max s': movesAnswered.length >= customers ? answerTimes.max : o.windowMs / 1000,
      'first replayed copy s': firstCopyAt === undefined ? undefined : (firstCopyAt - startedAt) / 1000,
      'ceiling/min (group B)': o.ceilingPerMinute,
      'steady replay copies/min': steadyReplay,
      'steady sends/min into B': steadySends,
      'steady replay % of ceiling': steadyReplay === undefined ? undefined : (steadyReplay / o.ceilingPerMinute) * 100,
      'whole-replay copies/min': wholeReplay,
      'whole-replay % of ceiling': wholeReplay === undefined ? undefined : (wholeReplay / o.ceilingPerMinute) * 100,
      '429 answers': after.rateLimited - before.rateLimited,
      'total s': finished && lastEnd !== undefined ? (lastEnd - startedAt) / 1000 : undefined,
      'total s (projected)': finished || !steadyReplay ? undefined : (endedAt - startedAt) / 1000 + (backlog / steadyReplay) * 60,
      backlog,
      duplicated: report.duplicated,
      'out of order': report.outOfOrder,
      misrouted: report.misrouted,
    },
    detail: {
      finished,
      windowMs: o.windowMs,
      steady: { from: steadyFrom, to: steadyTo, ms: steadyMs },
      replayedPerMinute: perMinuteBuckets(replayed, startedAt, endedAt),
      // Per second from the first command: where the replay stalls (budget waits, claims, moves).
      sendsIntoBPerSecond: perMinuteBuckets(b, startedAt, endedAt, 1000),
      // When each new topic got its first copy and its end of history: a replay that starts late ends late, alone.
      firstCopyPerTopicS: firstPerThread(replayed, startedAt),
      // The CS group per second from the first command (answers, move notices): where "all moves answered" waits.
      sendsIntoCsPerSecond: perMinuteBuckets(csSends, startedAt, endedAt, 1000).slice(0, 60),
      movesAnsweredS: movesAnswered.map((d) => Math.round((d.at - startedAt) / 100) / 10),
      endOfHistoryS: b.filter((d) => d.text?.includes(END_OF_HISTORY)).map((d) => Math.round((d.at - startedAt) / 100) / 10),
      sendsIntoBPerBot: Object.fromEntries(world.bots.cr.map((bot) => [bot.id, b.filter((d) => d.botId === bot.id).length])),
      witness: { ...report, copyLatencyMs: undefined, messageLatencyMs: undefined },
      simulatorCalls: after.calls,
    },
  }
}

/** Every history message of every customer must arrive once, in order, in the customer's new topic in group B. */
function expectedCopies(stage: Stage, groupB: number, history: number, sentAt: number): SentMessage[] {
  const topics = stage.sim.topics(groupB).filter((t) => !t.deleted)
  return stage.onboarded.flatMap(({ customer }) => {
    const topic = topics.find((t) => t.name.endsWith(customer.accountId))
    const destinations = [destinationKey(groupB, topic?.message_thread_id ?? -1)]
    return Array.from({ length: history }, (_, i) => ({ tag: `[b${customer.index}.${i + 1}]`, customer: customer.index, seq: i + 1, sentAt, destinations }))
  })
}

function firstPerThread(list: Delivery[], fromAt: number): number[] {
  const first = new Map<number | undefined, number>()
  for (const d of list) if (!first.has(d.threadId)) first.set(d.threadId, d.at)
  return [...first.values()].map((at) => Math.round((at - fromAt) / 100) / 10).sort((a, b) => a - b)
}

function perMinuteBuckets(list: Delivery[], fromAt: number, toAt: number, bucketMs = 60_000): number[] {
  const buckets = Array.from({ length: Math.ceil((toAt - fromAt) / bucketMs) }, () => 0)
  for (const d of list) {
    const i = Math.floor((d.at - fromAt) / bucketMs)
    if (i >= 0 && i < buckets.length) buckets[i] = (buckets[i] ?? 0) + 1
  }
  return buckets
}

/** Seeding is done when the service has nothing left to send (copies of the two real messages per customer). */
async function waitForEmptyOutbox(stage: Stage): Promise<void> {
  const deadline = Date.now() + OUTBOX_DRAIN_TIMEOUT_MS
  while (Date.now() < deadline) {
    const states = await stage.database.outboxStates()
    if (!states.pending && !states.sending) return
    await sleep(500)
  }
  throw new Error(`reassign: the outbox did not drain within ${OUTBOX_DRAIN_TIMEOUT_MS / 1000} s after seeding`)
}
