import type { MessageEntity } from 'grammy/types'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { inProject } from '../db/project-scope.js'
import type { Database, DbOrTx } from '../db/client.js'
import { retryTransient } from '../db/errors.js'
import { findLinksWithMessages, type LinkWithMessage, type RelayLinkRow } from '../db/repositories/relay.js'
import { outbox, relayLinks } from '../db/schema/index.js'
import { DESTINATION_PREFIX } from './destination.js'
import type { DeliveryHooks } from './hooks.js'
import { markSent, SentRecorded, type ClaimedJob } from './outbox.js'
import { contentOfCopy, TEXT_LIMIT, withHeader } from './render.js'
import { linkDestination, relayCopy, withFallbacks, type SendDeps } from './send-content.js'
import type { RateBudget } from './rate-budget.js'
import type { ProgressStore } from './send-steps.js'

/** How many waiting rows after the claimed one a fold looks at (the 4096-character limit stops it sooner). */
const MAX_FOLLOWERS = 100
/**
 * How long a group's backlog figure is reused: an estimate, so a little staleness is fine. A short
 * backlog is counted again sooner, so a sudden burst is seen within a second (until then its
 * copies go out one by one within the budget, which is what they would do anyway).
 */
const BACKLOG_TTL_MS = 5_000
const SHORT_BACKLOG_TTL_MS = 1_000
/** A row folded into another's combined copy: marked sent, yet it posted nothing (Telegram never counted it). */
export const notFoldedRow = sql`JSON_VALUE(result, '$.coalescedInto') IS NULL`

/** Between two originals of a combined copy. */
const SEPARATOR = '\n\n'

export interface CoalesceOptions {
  /** Backlog, in minutes of the group's budget, from which text copies for one topic are combined. */
  afterMinutes: number
  /** The planner's budgets (every process's sends in view): the group budget, and how full it is. */
  budget: RateBudget
  /** The pool of a bot: every bot of the role, each with its own group budget. */
  poolOf: (botId: number) => readonly number[]
}

/** One original of a combined copy: its relay link and its outbox row. */
type Fold = { outboxId: number; linkId: number }

/**
 * Coalescing of a long backlog (issue 12): when a group's waiting copies are more than
 * `afterMinutes` of its budget (waiting rows ÷ (groupPerMinute × pool size)), a claimed text copy
 * takes the text copies waiting right behind it for the same topic into one message of at most
 * 4096 characters (never cutting one original; each keeps its header). Every folded relay link
 * records the combined copy's id, so replies, edits and reactions still find their original.
 */
export class Coalescer {
  private readonly backlogs = new Map<number, { minutes: number; at: number }>()

  constructor(
    private readonly db: Database,
    private readonly options: CoalesceOptions,
    private readonly hooks?: DeliveryHooks,
  ) {}

  /**
   * Posts a claimed relay copy, combined with the text copies waiting behind it when the group's
   * backlog is long; otherwise exactly as `relayCopy`. The fold is fixed in the row's progress
   * before the send, so a retry after a crash sends the same combination (never a second, different one).
   */
  async relay(deps: SendDeps, claimed: ClaimedJob, linkId: number, progress: ProgressStore): Promise<unknown> {
    const plain = () => relayCopy(deps, linkId, claimed.botId, progress, claimed)
    const folds = progress.done.folded ?? (await this.foldFor(deps, claimed, linkId))
    if (!folds || folds.length < 2) return plain()
    if (!progress.done.folded) await retryTransient(() => progress.save({ sent: 0, folded: folds }))
    const parts = await findLinksWithMessages(
      this.db,
      folds.map((f) => f.linkId),
    )
    const head = parts.get(linkId)
    if (!head || head.link.copyMessageId) return plain()
    const to = await linkDestination(deps, head.link, head.topic)
    const combined = combinedText(folds.flatMap((f) => (parts.has(f.linkId) ? [parts.get(f.linkId)!] : [])))
    const api = deps.gateway.api(claimed.botId)
    const sent = await withFallbacks((o) =>
      api.sendMessage(to.chatId, combined.text, { ...(to.threadId ? { message_thread_id: to.threadId } : {}), ...(o.formatted ? { entities: combined.entities } : {}) }),
    )
    const result = { messageId: sent.message_id, coalesced: folds.length }
    await retryTransient(() => this.record(claimed, folds, { copyMessageId: sent.message_id, threadId: to.threadId ?? null, botId: claimed.botId }, result))
    return new SentRecorded(result)
  }

  /**
   * Records a combined copy in one transaction: its id on every folded relay link, every folded
   * row sent. Either all of it or none: a crash before the commit leaves the claimed row to come
   * back after its lease with the same fold in its progress (re-sent once, like any copy whose
   * answer was lost), and the folded rows, still waiting behind it, are never sent on their own.
   */
  private async record(claimed: ClaimedJob, folds: Fold[], copy: { copyMessageId: number; threadId: number | null; botId: number }, result: unknown): Promise<void> {
    // The outbox rows first, then the links (the order a single copy's record takes).
    await this.db.transaction(async (tx) => {
      const followers = folds.map((f) => f.outboxId).filter((id) => id !== claimed.id)
      await tx
        .update(outbox)
        .set({ state: 'sent', result: JSON.stringify({ coalescedInto: claimed.id }), lockedUntil: null })
        .where(and(inArray(outbox.id, followers), eq(outbox.state, 'pending')))
      await markSent(tx, claimed, result)
      await tx
        .update(relayLinks)
        .set(copy)
        .where(
          inArray(
            relayLinks.id,
            folds.map((f) => f.linkId),
          ),
        )
    })
  }

  /**
   * The claimed copy and the text copies right behind it for the same topic, as many as fit one
   * message; undefined when the group's backlog is short or the claimed copy is not a plain text.
   * The followers wait behind the claimed row, so no other worker can claim them meanwhile.
   */
  private async foldFor(deps: SendDeps, claimed: ClaimedJob, linkId: number): Promise<Fold[] | undefined> {
    const head = deps.links?.get(linkId) ?? (await findLinksWithMessages(this.db, [linkId])).get(linkId)
    if (!head || !foldable(head) || head.link.topicId === null) return undefined
    if (!this.busy(claimed.botId, head.link.chatId)) return undefined
    const minutes = await this.backlogMinutes(head.link.chatId, claimed.botId)
    if (minutes < this.options.afterMinutes) return undefined
    await this.hooks?.onGroupBacklog?.(claimed.projectId, head.link.chatId, Math.round(minutes))
    const [rows] = (await this.db.execute(sql`
      SELECT id, job, depends_on FROM outbox
      WHERE destination = ${claimed.destination} AND state = 'pending' AND id > ${claimed.id}
      ORDER BY id LIMIT ${MAX_FOLLOWERS}`)) as unknown as [Array<{ id: number | string; job: string; depends_on: number | null }>]
    const waiting = rows.map((row) => ({ outboxId: Number(row.id), job: JSON.parse(row.job) as ClaimedJob['job'], dependsOn: row.depends_on }))
    const candidates = waiting.flatMap((row) => (row.job.type === 'relay' && row.dependsOn === null ? [row.job.linkId] : []))
    const links = await findLinksWithMessages(this.db, candidates)
    const folds: Fold[] = [{ outboxId: claimed.id, linkId }]
    let length = renderedPart(head).text.length
    for (const row of waiting) {
      // Consecutive only: the first row that cannot join ends the fold (order is kept).
      const follower = row.job.type === 'relay' && row.dependsOn === null ? links.get(row.job.linkId) : undefined
      if (!follower || !foldable(follower) || follower.link.topicId !== head.link.topicId) break
      length += SEPARATOR.length + renderedPart(follower).text.length
      if (length > TEXT_LIMIT) break
      folds.push({ outboxId: row.outboxId, linkId: follower.link.id })
    }
    return folds
  }

  /**
   * Whether every bot of the pool has used half its budget in the group within the last minute
   * (the planner's windows, no query): only then can a backlog be long, so a quiet group's copies
   * cost no count at all.
   */
  private busy(botId: number, chatId: number, now = Date.now()): boolean {
    const half = Math.floor(this.options.budget.options.groupPerMinute / 2)
    return this.options.poolOf(botId).every((bot) => this.options.budget.delayFor(bot, chatId, now, 1, half) > 0)
  }

  /**
   * Minutes of backlog in a group: its waiting rows ÷ (its budget per minute × the bots of the
   * pool that may post there). One COUNT over the destination index, reused for a few seconds per group.
   */
  async backlogMinutes(chatId: number, botId: number, now = Date.now()): Promise<number> {
    const cached = this.backlogs.get(chatId)
    if (cached && now - cached.at < (cached.minutes >= this.options.afterMinutes ? BACKLOG_TTL_MS : SHORT_BACKLOG_TTL_MS)) return cached.minutes
    const [rows] = (await this.db.execute(sql`
      SELECT COUNT(*) AS n FROM topics t
      JOIN outbox o ON o.destination = CONCAT(${DESTINATION_PREFIX.topic}, t.id) AND o.state = 'pending'
      WHERE t.chat_id = ${chatId}`)) as unknown as [Array<{ n: number | string }>]
    const minutes = Number(rows[0]?.n ?? 0) / (this.options.budget.options.groupPerMinute * Math.max(1, this.options.poolOf(botId).length))
    this.backlogs.set(chatId, { minutes, at: now })
    return minutes
  }
}

/**
 * The originals sharing a delivered copy, in order, when it is a combined one (undefined for a
 * copy of one original): an edit of one of them re-renders the whole combined text.
 */
export async function combinedCopyParts(db: DbOrTx, link: RelayLinkRow): Promise<LinkWithMessage[] | undefined> {
  if (!link.copyMessageId) return undefined
  const sharing = await db
    .select({ id: relayLinks.id })
    .from(relayLinks)
    .where(inProject(relayLinks, link.projectId, eq(relayLinks.chatId, link.chatId), eq(relayLinks.copyMessageId, link.copyMessageId), eq(relayLinks.botId, link.botId)))
    .orderBy(asc(relayLinks.id))
  if (sharing.length < 2) return undefined
  const parts = await findLinksWithMessages(
    db,
    sharing.map((row) => row.id),
  )
  return sharing.flatMap((row) => (parts.has(row.id) ? [parts.get(row.id)!] : []))
}

/** A copy that may join a combined one: a client's plain text relayed into a topic, not a reply, not yet sent. */
function foldable({ link, message }: LinkWithMessage): boolean {
  if (link.kind !== 'relay' || link.copyMessageId || message.origin !== 'client' || message.replyToRowId || message.mediaGroupId) return false
  return contentOfCopy(message, link).kind === 'text'
}

/** One original as its own copy would show it: its header (render.ts's rule), then its text. */
function renderedPart({ link, message }: LinkWithMessage): { text: string; entities: MessageEntity[] } {
  const content = contentOfCopy(message, link)
  return content.kind === 'text' ? withHeader(link.header ?? undefined, content.text, content.entities) : withHeader(link.header ?? undefined, '', [])
}

/** The originals of a combined copy in order, separated by a blank line, their entities shifted into place. */
export function combinedText(parts: LinkWithMessage[]): { text: string; entities: MessageEntity[] } {
  let text = ''
  const entities: MessageEntity[] = []
  for (const part of parts) {
    if (text) text += SEPARATOR
    const rendered = renderedPart(part)
    entities.push(...rendered.entities.map((e) => ({ ...e, offset: e.offset + text.length })))
    text += rendered.text
  }
  return { text, entities }
}
