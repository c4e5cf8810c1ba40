import { eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { systemTopics, topics } from '../db/schema/index.js'
import { decodeDestination } from './destination.js'
import { outboxJobs, type JobRegistry } from './jobs/index.js'
import type { ClaimedJob } from './outbox.js'
import type { RateBudget, Reservation } from './rate-budget.js'
import { SharedBudget, type SeedSends } from './shared-budget.js'
import { notFoldedRow } from './coalesce.js'

/** While a relayed message waits for a group's budget, card edits, notices and reminders leave it this share. */
const YIELD_SHARE = 0.25
/**
 * A bulk row always leaves this share of every window it uses (the chat's and the bot's per
 * second) to the other classes: a broadcast never takes the slot a live reply needs.
 */
const LIVE_SHARE = 0.25

/** A waiting relay not planned again this long after its promised slot no longer holds it (re-claimed late, or by another process). */
const PROMISE_GRACE_MS = 2000

/** How far back (in outbox rows) the start-up seed looks for sends of the last minute. */
const RECENT_ROWS = 20_000

export interface SendPlan {
  botId: number
  chatId: number
  /** > 0: no bot of the pool may send yet; try again after this many ms. */
  delayMs: number
  /** The slots taken (when `delayMs` is 0): confirm them once the call answered. */
  reservation?: Reservation
}

/**
 * Chooses which bot sends a job and when: new messages into a group spread over the role's
 * pool (each bot has its own budget, so a group's throughput grows with the pool); edits,
 * deletes and reactions stay with the bot that posted the copy. Within a group's budget the
 * conversation goes first: while a relayed message waits, everything else leaves it a share. The
 * `bulk` class only takes what is left: it always leaves `LIVE_SHARE` of every window.
 */
export class SendPlanner {
  private readonly chatOfDestination = new Map<string, number>()
  private readonly shared: SharedBudget
  /** Group chat id → until when a relayed message is known to wait for its budget (this process's view). */
  private readonly conversationWaits = new Map<number, number>()
  /** Group chat id → outbox id → the freed slot a waiting relay was put back for (this process's view). */
  private readonly promisedSlots = new Map<number, Map<number, number>>()

  constructor(
    private readonly db: Database,
    readonly budget: RateBudget,
    private readonly poolOf: (botId: number) => readonly number[],
    /** Which job types post new messages (`poolable`) and which are the conversation (`conversation`). */
    private readonly jobs: JobRegistry = outboxJobs,
  ) {
    this.shared = new SharedBudget(db, budget, () => this.recentSends())
  }

  /**
   * What the outbox says was sent in the last minute (its row marked sent after the answer, so no
   * earlier than Telegram counted it), per bot and chat: the seed of the windows at start-up. A
   * pool's row may have been sent by any of its bots, so it counts for each of them. Rows folded
   * into a combined copy posted nothing and do not count.
   */
  private async recentSends(now = Date.now()): Promise<SeedSends> {
    const [rows] = (await this.db.execute(sql`
      SELECT bot_id, destination, updated_at FROM outbox
      WHERE id > (SELECT COALESCE(MAX(id), 0) - ${RECENT_ROWS} FROM outbox) AND state = 'sent' AND updated_at > ${new Date(now - 60_000)} AND ${notFoldedRow}`)) as unknown as [
      Array<{ bot_id: number | string; destination: string; updated_at: Date }>,
    ]
    const seeds: SeedSends = new Map()
    for (const row of rows) {
      const chatId = await this.chatOf(row.destination)
      if (chatId === 0) continue
      for (const botId of chatId < 0 ? this.poolOf(Number(row.bot_id)) : [Number(row.bot_id)]) {
        const chats = seeds.get(botId) ?? new Map<number, number[]>()
        seeds.set(botId, chats)
        chats.set(chatId, [...(chats.get(chatId) ?? []), new Date(row.updated_at).getTime()])
      }
    }
    return seeds
  }

  /**
   * `messages`: how many Telegram messages the job posts (album items, parts of a split text).
   * The slots are reserved as the plan is made, with every process's sends in view; call
   * `confirm` when the send's call answered.
   */
  async plan(job: ClaimedJob, messages = 1): Promise<SendPlan> {
    const chatId = await this.chatOf(job.destination)
    // Jobs that post a new message may go through any bot of the role's pool; the conversation
    // itself (and the topics it needs) may take a group's whole budget.
    const module = this.jobs.find(job.job.type)
    const candidates = module?.poolable && chatId < 0 ? this.poolOf(job.botId) : [job.botId]
    // A move's replay is conversation too: its topic opening, notices and end-of-history frame the
    // replayed copies, which wait behind them in the same topic. Yielding them stalled whole
    // replays (a new topic's opening notice waited seconds for a quarter of the window while the
    // other topics' replays took it, then nothing was left to send).
    const bulk = job.class === 'bulk'
    const conversation = !bulk && (module?.conversation === true || job.class === 'replay')
    const { groupPerMinute, privateBurst, globalPerSecond } = this.budget.options
    return this.shared.withBots(candidates, () => {
      const now = Date.now()
      const promised = conversation && chatId < 0 ? this.promisesOf(chatId, job.id, now) : undefined
      const yielding = chatId < 0 && !conversation && (this.conversationWaits.get(chatId) ?? 0) > now ? Math.ceil(groupPerMinute * YIELD_SHARE) : 0
      const headroom = bulk ? Math.max(yielding, Math.ceil((chatId < 0 ? groupPerMinute : privateBurst) * LIVE_SHARE)) : yielding
      const globalHeadroom = bulk ? Math.ceil(globalPerSecond * LIVE_SHARE) : 0
      let best: SendPlan = { botId: job.botId, chatId, delayMs: Number.POSITIVE_INFINITY }
      for (const botId of candidates) {
        const delayMs = this.budget.delayFor(botId, chatId, now, messages, headroom, globalHeadroom)
        if (delayMs < best.delayMs) best = { botId, chatId, delayMs }
        if (delayMs === 0) break
      }
      if (best.delayMs === 0) best.reservation = this.budget.reserve(best.botId, chatId, now, messages)
      else if (promised) {
        best.delayMs = Math.max(best.delayMs, this.nextUnpromisedSlot(candidates, chatId, [...promised.values()], now) - now)
        promised.set(job.id, now + best.delayMs)
        this.conversationWaits.set(chatId, now + best.delayMs + 1000)
      }
      return best
    })
  }

  /** The chat's waiting relays still holding a freed slot, after dropping this job's own (it is planned again now). */
  private promisesOf(chatId: number, jobId: number, now: number): Map<number, number> {
    const promised = this.promisedSlots.get(chatId) ?? new Map<number, number>()
    this.promisedSlots.set(chatId, promised)
    promised.delete(jobId)
    for (const [id, at] of promised) if (at < now - PROMISE_GRACE_MS) promised.delete(id)
    return promised
  }

  /**
   * When the pool frees the first slot not promised to another waiting relay: the earliest freed
   * slot (of all candidate bots) with fewer promises up to its time than slots freed before it.
   * Waiting relays come back one per freed slot, not all at the first (each then claimed and
   * planned again, mostly for nothing); one planned again before its slot keeps that slot.
   */
  private nextUnpromisedSlot(candidates: readonly number[], chatId: number, promises: number[], now: number): number {
    const freed = candidates.flatMap((botId) => this.budget.freeSlotTimes(botId, chatId, promises.length + 1, now)).sort((a, b) => a - b)
    const slot = freed.findIndex((at, i) => promises.filter((promise) => promise <= at).length <= i)
    return freed[slot] ?? now
  }

  /** The planned send's call answered (or failed) now: its messages count from this time. */
  confirm(plan: SendPlan): void {
    if (plan.reservation) this.shared.confirm(plan.reservation)
  }

  /** The Telegram chat a destination key points at (topic rows never change chat). */
  async chatOf(destination: string): Promise<number> {
    const cached = this.chatOfDestination.get(destination)
    if (cached !== undefined) return cached
    const decoded = decodeDestination(destination)
    let chatId = 0
    if (decoded?.kind === 'topic') {
      const [row] = await this.db.select({ chatId: topics.chatId }).from(topics).where(eq(topics.id, decoded.topicId))
      chatId = row?.chatId ?? 0
    } else if (decoded?.kind === 'system_topic') {
      const [row] = await this.db.select({ chatId: systemTopics.chatId }).from(systemTopics).where(eq(systemTopics.id, decoded.systemTopicId))
      chatId = row?.chatId ?? 0
    } else if (decoded?.kind === 'chat') {
      chatId = decoded.chatId
    } else if (decoded?.kind === 'private_chat') {
      chatId = decoded.userId
    }
    if (this.chatOfDestination.size > 50_000) this.chatOfDestination.clear()
    this.chatOfDestination.set(destination, chatId)
    return chatId
  }
}
