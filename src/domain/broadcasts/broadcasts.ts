import { and, eq, sql } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { Database, DbOrTx } from '../../db/client.js'
import { broadcasts, outbox, systemTopics } from '../../db/schema/index.js'
import { contentOf } from '../../shared/message-content.js'
import { recordAudit } from '../audit/events.js'
import type { DomainDeps } from '../deps.js'
import { cancelKeyboard } from '../buttons/broadcast.js'
import type { Keyboard } from '../buttons/keyboard.js'
import { enqueueAllTo, enqueueTo, type AddressedJob } from '../enqueue-to.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { parseSegment, segmentLabel, segmentRecipients } from './segment.js'

/** Rows per insert when a broadcast is queued (5,000 recipients: five statements, one transaction). */
const INSERT_CHUNK = 1000

/** The dead-letter reason of a row Cancel stopped (the counts tell it apart from a failed send). */
export const CANCELLED_BY_BROADCAST = 'cancelled: the broadcast was cancelled'

type BroadcastRow = typeof broadcasts.$inferSelect

/** A Telegram message as the bots received it (what `contentOf` reads). */
type TelegramMessage = Parameters<typeof contentOf>[0]

/** What starting and cancelling need (the command line has no app around it). */
export type BroadcastDeps = Pick<DomainDeps, 'db' | 'clock' | 'notify'>

export type Prepared = { ok: true; broadcastId: number; segment: string; recipients: number } | { ok: false; reason: string }

/**
 * Counts a segment for a message and stores the broadcast, waiting for a lead's Confirm
 * (`startBroadcast`). `source` is the message as Telegram gave it to `sourceBotId`.
 */
export async function prepareBroadcast(
  db: Database,
  project: ProjectRuntime,
  input: { authorUserId: number | null; segment: string; source: TelegramMessage; sourceBotId: number; paid: boolean },
): Promise<Prepared> {
  const t = textsOf(project)
  if (contentOf(input.source).kind === 'placeholder') return { ok: false, reason: t.staff('broadcastNothingToSend') }
  const parsed = parseSegment(project, input.segment)
  if (!parsed.ok) return parsed
  const segment = segmentLabel(parsed.segment)
  const recipients = (await segmentRecipients(db, project, parsed.segment)).length
  if (recipients === 0) return { ok: false, reason: t.staff('broadcastNoRecipients', { segment }) }
  const [inserted] = await db.insert(broadcasts).values(
    projectRow(broadcasts, project.id, {
      authorUserId: input.authorUserId,
      segment,
      source: JSON.stringify(input.source),
      sourceBotId: input.sourceBotId,
      total: recipients,
      paid: input.paid,
    }),
  )
  return { ok: true, broadcastId: Number(inserted.insertId), segment, recipients }
}

/** Where the confirmation was posted, so its progress can be edited into it. */
export async function attachConfirmation(db: Database, broadcastId: number, message: { chatId: number; messageId: number; botId: number }): Promise<void> {
  await db.update(broadcasts).set({ confirmChatId: message.chatId, confirmMessageId: message.messageId, confirmBotId: message.botId }).where(eq(broadcasts.id, broadcastId))
}

/** The project's broadcast, locked until the transaction ends (a Confirm and a Cancel pressed together take turns). */
async function lockBroadcast(tx: DbOrTx, project: ProjectRuntime, broadcastId: number) {
  const [row] = await tx
    .select()
    .from(broadcasts)
    .where(inProject(broadcasts, project.id, eq(broadcasts.id, broadcastId)))
    .for('update')
  return row
}

export type Decision = { ok: true; text: string } | { ok: false; reason: string }

/**
 * Confirm: the segment is read again (someone may have blocked the bot since the count) and one
 * bulk outbox row per recipient is queued with the broadcast's id, in one transaction with the
 * state change and the audit event; a second press finds it no longer waiting.
 */
export async function startBroadcast(deps: BroadcastDeps, project: ProjectRuntime, broadcastId: number, actorUserId: number | null): Promise<Decision> {
  const t = textsOf(project)
  const started = await deps.db.transaction(async (tx) => {
    const row = await lockBroadcast(tx, project, broadcastId)
    if (!row) return { ok: false as const, reason: t.staff('broadcastNotFound') }
    if (row.state !== 'confirming') return { ok: false as const, reason: t.staff('broadcastAlreadyDecided') }
    const parsed = parseSegment(project, row.segment)
    const recipients = parsed.ok ? await segmentRecipients(tx, project, parsed.segment) : []
    const jobs: AddressedJob[] = recipients.map(({ chatId }) => ({
      address: { kind: 'client', chatId },
      job: { type: 'broadcast', broadcastId, chatId, ...(row.paid ? { paid: true } : {}) },
      options: { stream: 'bulk', broadcastId },
    }))
    for (let i = 0; i < jobs.length; i += INSERT_CHUNK) await enqueueAllTo(tx, project, jobs.slice(i, i + INSERT_CHUNK))
    const state = recipients.length ? 'sending' : 'done'
    await tx
      .update(broadcasts)
      .set({ state, total: recipients.length, ...(state === 'done' ? { finishedAt: deps.clock.now() } : {}) })
      .where(eq(broadcasts.id, broadcastId))
    await recordAudit(tx, project.id, {
      kind: 'broadcast',
      actorUserId,
      customerId: null,
      details: { broadcastId, action: 'started', segment: row.segment, recipients: recipients.length },
    })
    const progress = t.staff('broadcastProgress', { segment: row.segment, total: recipients.length, sent: 0, blocked: 0, failed: 0, cancelled: 0, state })
    await queueConfirmationEdit(tx, project, row, progress, state === 'sending' ? cancelKeyboard(project, broadcastId) : { inline_keyboard: [] })
    return { ok: true as const, text: t.staff('broadcastStarted', { recipients: recipients.length }) }
  })
  if (started.ok) deps.notify()
  return started
}

/**
 * Cancel: before Confirm, nothing is queued; after it, every row not yet claimed is ended in one
 * statement (dead, with the reason), and the rows in flight finish. The progress job writes the
 * final counts once those have.
 */
export async function cancelBroadcast(deps: BroadcastDeps, project: ProjectRuntime, broadcastId: number, actorUserId: number | null): Promise<Decision> {
  const t = textsOf(project)
  const cancelled = await deps.db.transaction(async (tx) => {
    const row = await lockBroadcast(tx, project, broadcastId)
    if (!row) return { ok: false as const, reason: t.staff('broadcastNotFound') }
    if (row.state !== 'confirming' && row.state !== 'sending') return { ok: false as const, reason: t.staff('broadcastAlreadyDecided') }
    const [ended] = await tx
      .update(outbox)
      .set({ state: 'dead', lastError: CANCELLED_BY_BROADCAST, lockedUntil: null })
      .where(and(eq(outbox.broadcastId, broadcastId), eq(outbox.state, 'pending')))
    const cancelled = row.state === 'confirming' ? row.total : ended.affectedRows
    await tx
      .update(broadcasts)
      .set({ state: 'cancelled', cancelled, ...(row.state === 'confirming' ? { finishedAt: deps.clock.now() } : {}) })
      .where(eq(broadcasts.id, broadcastId))
    if (row.state === 'confirming') await queueConfirmationEdit(tx, project, row, t.staff('broadcastCancelledBeforeStart'), { inline_keyboard: [] })
    if (row.state === 'sending')
      await recordAudit(tx, project.id, {
        kind: 'broadcast',
        actorUserId,
        customerId: null,
        details: { broadcastId, action: 'cancelled', segment: row.segment, recipients: row.total },
      })
    return { ok: true as const, text: t.staff('broadcastCancelling') }
  })
  deps.notify()
  return cancelled
}

/** Queues an edit of a broadcast's confirmation (a waiting edit of it is replaced); none for the command line's. */
export async function queueConfirmationEdit(tx: DbOrTx, project: ProjectRuntime, row: BroadcastRow, text: string, replyMarkup: Keyboard): Promise<void> {
  if (row.confirmChatId === null || row.confirmMessageId === null || row.confirmBotId === null) return
  await enqueueTo(
    tx,
    project,
    { kind: 'posted', chatId: row.confirmChatId, botId: row.confirmBotId },
    { type: 'edit_text', chatId: row.confirmChatId, messageId: row.confirmMessageId, text, replyMarkup },
    { stream: 'prompt' },
  )
}

/**
 * Counts of a broadcast's rows: sent, blocked (403 from the client), other failures, cancelled,
 * still waiting or in flight. States come from the index alone; only dead rows are read for why.
 */
export async function countBroadcastRows(db: Database, broadcastId: number) {
  const byState = await db
    .select({ state: outbox.state, n: sql<number | string>`COUNT(*)` })
    .from(outbox)
    .where(eq(outbox.broadcastId, broadcastId))
    .groupBy(outbox.state)
  const counts = { sent: 0, blocked: 0, failed: 0, cancelled: 0, waiting: 0 }
  for (const row of byState) {
    if (row.state === 'sent') counts.sent = Number(row.n)
    else if (row.state !== 'dead') counts.waiting += Number(row.n)
  }
  if (!byState.some((row) => row.state === 'dead')) return counts
  const [dead] = await db
    .select({
      cancelled: sql<number | string>`SUM(${outbox.lastError} = ${CANCELLED_BY_BROADCAST})`,
      blocked: sql<
        number | string
      >`SUM(${outbox.lastError} <> ${CANCELLED_BY_BROADCAST} AND (${outbox.lastError} LIKE '%bot was blocked by the user%' OR ${outbox.lastError} LIKE '%user is deactivated%'))`,
      n: sql<number | string>`COUNT(*)`,
    })
    .from(outbox)
    .where(and(eq(outbox.broadcastId, broadcastId), eq(outbox.state, 'dead')))
  counts.cancelled = Number(dead?.cancelled ?? 0)
  counts.blocked = Number(dead?.blocked ?? 0)
  counts.failed = Number(dead?.n ?? 0) - counts.cancelled - counts.blocked
  return counts
}

/** Whether a message's thread is the project's Onboarding topic in that chat (where `/broadcast` is used). */
export async function isOnboardingThread(db: Database, project: ProjectRuntime, chatId: number, threadId: number | undefined): Promise<boolean> {
  if (threadId === undefined) return false
  const [topic] = await db
    .select({ id: systemTopics.id })
    .from(systemTopics)
    .where(inProject(systemTopics, project.id, eq(systemTopics.chatId, chatId), eq(systemTopics.purpose, 'onboarding'), eq(systemTopics.threadId, threadId)))
  return topic !== undefined
}
