import { eq, inArray, isNull, lte, or } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { outbox, riskPrompts, topics } from '../../db/schema/index.js'
import { recordAudit } from '../audit/events.js'
import { riskPromptKeyboard } from '../buttons/risk-prompt.js'
import { enqueueTo } from '../enqueue-to.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import type { CopyTarget } from '../relay/policies/policy.js'
import { queueTopicText, type TopicRef } from '../topic-notices.js'

/** What the policy found: which phrase, in what, for whom; the draft's copies say where the author works. */
export interface RiskHit {
  phrase: string
  text: string
  customerId: number
  copies: readonly CopyTarget[]
  now: Date
}

/** The author's topic: where they typed it, else (`/c`, API: no original) the copy mirrored into their role's topic. */
async function authorTopic(tx: DbOrTx, stored: MessageRow, hit: RiskHit): Promise<(TopicRef & { replyTo?: number }) | undefined> {
  const columns = { id: topics.id, role: topics.role }
  if (stored.chatId !== 0 && stored.messageId > 0) {
    const thread = stored.threadId === null ? isNull(topics.threadId) : eq(topics.threadId, stored.threadId)
    const [typedIn] = await tx
      .select(columns)
      .from(topics)
      .where(inProject(topics, stored.projectId, eq(topics.customerId, hit.customerId), eq(topics.chatId, stored.chatId), thread))
    return typedIn ? { ...typedIn, replyTo: stored.messageId } : undefined
  }
  const topicIds = hit.copies.flatMap((copy) => (copy.to === 'topic' && copy.topicId !== undefined ? [copy.topicId] : []))
  const mirrored = topicIds.length
    ? await tx
        .select(columns)
        .from(topics)
        .where(inProject(topics, stored.projectId, inArray(topics.id, topicIds)))
    : []
  return mirrored.find((topic) => topic.role === stored.senderRole) ?? mirrored[0]
}

/** A block phrase: the message (or edit) is stored only, the hit audited, and the author told which phrase, in their topic. */
export async function tellRiskBlocked(tx: DbOrTx, project: ProjectRuntime, stored: MessageRow, hit: RiskHit): Promise<void> {
  await recordAudit(tx, project.id, {
    kind: 'risk_hit',
    actorUserId: stored.senderUserId,
    customerId: hit.customerId,
    details: { phrase: hit.phrase, action: 'blocked' },
    text: hit.text,
    at: hit.now,
  })
  const topic = await authorTopic(tx, stored, hit)
  if (topic) await queueTopicText(tx, project, topic, textsOf(project).staff('riskBlocked', { phrase: hit.phrase }), topic.replyTo ? { replyTo: { messageId: topic.replyTo } } : {})
}

/**
 * A confirm phrase: the message (or edit) is held (`token`); its author gets "Send anyway /
 * Cancel" as an ephemeral message in their topic. The prompt's row lets the sweep post it as a
 * normal reply when that send fails or nobody pressed in time, and expire it.
 */
export async function openRiskPrompt(tx: DbOrTx, project: ProjectRuntime, stored: MessageRow, hit: RiskHit, token: string): Promise<void> {
  const topic = await authorTopic(tx, stored, hit)
  if (!topic) return // nowhere to ask: it stays held, and expires as cancelled
  const settings = project.config.riskPrompt
  const [inserted] = await tx.insert(riskPrompts).values(
    projectRow(riskPrompts, project.id, {
      customerId: hit.customerId,
      holdToken: token,
      authorUserId: stored.senderUserId,
      phrase: hit.phrase,
      text: hit.text,
      topicId: topic.id,
      replyToMessageId: topic.replyTo ?? null,
      fallbackAt: new Date(hit.now.getTime() + settings.fallbackSeconds * 1000),
      expiresAt: new Date(hit.now.getTime() + settings.validMinutes * 60_000),
    }),
  )
  const promptId = Number(inserted.insertId)
  const job = {
    type: 'ephemeral' as const,
    op: 'send' as const,
    target: { kind: 'topic' as const, topicId: topic.id },
    receiverUserId: stored.senderUserId,
    text: textsOf(project).staff('riskPrompt', { phrase: hit.phrase }),
    replyMarkup: riskPromptKeyboard(project, promptId),
  }
  const outboxId = await enqueueTo(tx, project, { kind: 'topic', topic }, job)
  await tx
    .update(riskPrompts)
    .set({ ephemeralOutboxId: outboxId })
    .where(inProject(riskPrompts, project.id, eq(riskPrompts.id, promptId)))
}

export type RiskPromptRow = typeof riskPrompts.$inferSelect

/**
 * Posts the prompt as a normal reply in the author's topic (everyone there sees it): its
 * ephemeral send was refused, or nobody pressed by `fallbackAt`. Once per prompt.
 */
export async function postRiskFallbacks(tx: DbOrTx, project: ProjectRuntime, now: Date): Promise<number> {
  const waiting = await tx
    .select({ prompt: riskPrompts, sendState: outbox.state })
    .from(riskPrompts)
    .leftJoin(outbox, inProject(outbox, riskPrompts.projectId, eq(outbox.id, riskPrompts.ephemeralOutboxId)))
    .where(
      inProject(
        riskPrompts,
        project.id,
        eq(riskPrompts.state, 'pending'),
        isNull(riskPrompts.fallbackOutboxId),
        or(lte(riskPrompts.fallbackAt, now), eq(outbox.state, 'dead'), isNull(riskPrompts.ephemeralOutboxId)),
      ),
    )
  for (const { prompt } of waiting) {
    const [topic] = await tx
      .select({ id: topics.id, role: topics.role })
      .from(topics)
      .where(inProject(topics, project.id, eq(topics.id, prompt.topicId)))
    if (!topic) continue
    const replyTo = prompt.replyToMessageId ? { replyTo: { messageId: prompt.replyToMessageId } } : {}
    const fallbackOutboxId = await queueTopicText(tx, project, topic, textsOf(project).staff('riskPrompt', { phrase: prompt.phrase }), {
      ...replyTo,
      replyMarkup: riskPromptKeyboard(project, prompt.id),
    })
    await tx
      .update(riskPrompts)
      .set({ fallbackOutboxId })
      .where(inProject(riskPrompts, project.id, eq(riskPrompts.id, prompt.id)))
  }
  return waiting.length
}

/** After a prompt is answered or expired: its ephemeral message and its fallback (when sent) say so, without buttons. */
export async function closeRiskPromptMessages(tx: DbOrTx, project: ProjectRuntime, prompt: RiskPromptRow, text: string, pressedEphemeralId?: number): Promise<void> {
  const ids = [prompt.ephemeralOutboxId, prompt.fallbackOutboxId].filter((id): id is number => id !== null)
  const rows = ids.length
    ? await tx
        .select()
        .from(outbox)
        .where(inProject(outbox, project.id, inArray(outbox.id, ids)))
    : []
  for (const row of rows) {
    const result = row.state === 'sent' && row.result ? (JSON.parse(row.result) as { chatId?: number; messageId?: number; ephemeralMessageId?: number | null }) : {}
    if (!result.chatId) continue
    const posted = { kind: 'posted' as const, chatId: result.chatId, botId: row.botId }
    if (row.id === prompt.ephemeralOutboxId) {
      const ephemeralMessageId = result.ephemeralMessageId ?? pressedEphemeralId
      if (ephemeralMessageId)
        await enqueueTo(tx, project, posted, { type: 'ephemeral', op: 'edit', chatId: result.chatId, receiverUserId: prompt.authorUserId, ephemeralMessageId, text })
    } else if (result.messageId) {
      await enqueueTo(tx, project, posted, { type: 'edit_text', chatId: result.chatId, messageId: result.messageId, text })
    }
  }
}
