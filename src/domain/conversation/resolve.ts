import { and, eq } from 'drizzle-orm'
import { endAssistantHandover } from '../assistant/answers.js'
import type { DbOrTx } from '../../db/client.js'
import { customers, topics } from '../../db/schema/index.js'
import { logAssignment } from '../assignment-log.js'
import { ratingKeyboard } from '../buttons/rating.js'
import { customerName, findCustomer, type Customer, type Topic } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { drainQueue } from '../owners/queue.js'
import { enqueueTo } from '../enqueue-to.js'
import type { InboundMessage } from '../inbound.js'
import { refusalFor } from '../permissions.js'
import { staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { teamsRole } from '../roles.js'
import { noticeToTopics } from '../topic-notices.js'
import { recordTopicChangeByHand } from '../topic-state.js'
import { clientLanguageOf } from '../translation/language.js'

/** How a conversation came to be resolved or reopened (the assignment log's `reason`). */
type ResolveReason = 'command' | 'topic_closed'
type ReopenReason = 'client_message' | 'topic_reopened'

/**
 * Marks an open conversation resolved (guarded, so twice is once), logs `resolved`, tells every
 * topic of the customer and, when the project asks for ratings, sends the client the 1–5 prompt
 * bound to this resolution. Returns the resolution's log id, or undefined when nothing changed.
 */
async function markResolved(
  tx: DbOrTx,
  project: ProjectRuntime,
  customer: Customer,
  change: { actorUserId: number; reason: ResolveReason; notice: string; at: Date },
): Promise<number | undefined> {
  const [result] = await tx
    .update(customers)
    .set({ conversation: 'resolved', resolvedAt: change.at })
    .where(and(eq(customers.id, customer.id), eq(customers.conversation, 'open'), eq(customers.state, 'active')))
  if (result.affectedRows === 0) return undefined
  // Answer mode may answer again after a handover (domain/assistant/answers).
  await endAssistantHandover(tx, project.id, customer.id)
  const resolutionId = await logAssignment(tx, { projectId: project.id, customerId: customer.id, action: 'resolved', actorUserId: change.actorUserId, reason: change.reason })
  await noticeToTopics(tx, project, customer.id, { text: change.notice })
  const settings = project.config.resolve
  if (settings.askRating && !customer.blocked) {
    const chatId = customer.telegramUserId
    await enqueueTo(
      tx,
      project,
      { kind: 'client', chatId },
      {
        type: 'text',
        target: { kind: 'chat', chatId },
        text: textsOf(project).client(clientLanguageOf(customer), 'ratingPrompt'),
        replyMarkup: ratingKeyboard(customer.id, resolutionId),
      },
    )
  }
  return resolutionId
}

/**
 * Closes the customer's open CR topic after the resolve notice, as idle-closing does: recorded
 * here (no bot is told of its own close), reopened by the client's next message.
 */
async function closeCrTopic(tx: DbOrTx, project: ProjectRuntime, customerId: number): Promise<void> {
  const crRole = teamsRole(project.roles).key
  const open = await tx
    .select()
    .from(topics)
    .where(and(eq(topics.customerId, customerId), eq(topics.role, crRole), eq(topics.state, 'open')))
  for (const topic of open) {
    const [closed] = await tx
      .update(topics)
      .set({ state: 'closed' })
      .where(and(eq(topics.id, topic.id), eq(topics.state, 'open')))
    if (closed.affectedRows) await enqueueTo(tx, project, { kind: 'topic', topic }, { type: 'close_topic', topicId: topic.id })
  }
}

export type ResolveOutcome = { ok: true } | { ok: false; reason: string }

/**
 * `/resolve` in one of the customer's topics, by their owner or a CS lead: the conversation is
 * resolved, every topic told, the CR topic closed (the CS topic stays open for the team's
 * follow-ups; idle-closing takes care of it), the client asked for a rating when configured.
 */
export async function resolveByCommand(deps: DomainDeps, project: ProjectRuntime, customerId: number, actorUserId: number): Promise<ResolveOutcome> {
  const customer = await findCustomer(deps.db, customerId)
  const t = textsOf(project)
  if (!customer || customer.projectId !== project.id) return { ok: false, reason: t.staff('customerGone') }
  const refusal = refusalFor(project, actorUserId, 'resolve_conversation', customer)
  if (refusal) return { ok: false, reason: refusal }
  if (customer.state !== 'active') return { ok: false, reason: t.staff('notOnboarded') }
  const who = staffMember(project, actorUserId)?.name ?? t.staff('aColleague')
  const resolved = await deps.db.transaction(async (tx) => {
    const resolutionId = await markResolved(tx, project, customer, { actorUserId, reason: 'command', at: deps.clock.now(), notice: t.staff('resolvedBy', { who }) })
    if (resolutionId !== undefined) await closeCrTopic(tx, project, customer.id)
    return resolutionId !== undefined
  })
  if (!resolved) return { ok: false, reason: t.staff('alreadyResolved', { name: customerName(customer) }) }
  deps.notify()
  // The owner has room again: a waiting customer may be theirs now (the queue job would within seconds).
  await drainQueue(deps, project, deps.clock.now())
  return { ok: true }
}

/**
 * Reopens a resolved conversation and logs `reopened`: the client wrote again (the message's
 * transaction, which also reopens the closed CR topic), or a person reopened the CR topic.
 */
export async function reopenConversation(tx: DbOrTx, project: ProjectRuntime, customerId: number, by: { reason: ReopenReason; actorUserId?: number }): Promise<boolean> {
  const [result] = await tx
    .update(customers)
    .set({ conversation: 'open', resolvedAt: null })
    .where(and(eq(customers.id, customerId), eq(customers.conversation, 'resolved')))
  if (result.affectedRows === 0) return false
  await logAssignment(tx, { projectId: project.id, customerId, action: 'reopened', actorUserId: by.actorUserId ?? null, reason: by.reason })
  return true
}

/**
 * A person closed or reopened a customer's topic in Telegram (its service message): the topic's
 * state is recorded, and for the CR topic the conversation follows: closed is resolved (with the
 * rating prompt), reopened is open again. Other topics only change state.
 */
export async function recordTopicChangeAndConversation(
  deps: DomainDeps,
  project: ProjectRuntime,
  topic: Topic,
  message: InboundMessage,
  actorUserId: number,
): Promise<'closed' | 'reopened' | 'unchanged'> {
  const crTopic = topic.role === teamsRole(project.roles).key
  const change = await deps.db.transaction(async (tx) => {
    // The customer first, then the topic: the order a client message's transaction locks them in.
    const [customer] = crTopic ? await tx.select().from(customers).where(eq(customers.id, topic.customerId)).for('update') : []
    const recorded = await recordTopicChangeByHand(tx, topic, message)
    if (recorded === 'unchanged' || !customer) return recorded
    if (recorded === 'reopened') {
      await reopenConversation(tx, project, customer.id, { reason: 'topic_reopened', actorUserId })
      return recorded
    }
    const t = textsOf(project)
    const who = staffMember(project, actorUserId)?.name ?? t.staff('someoneCapital')
    await markResolved(tx, project, customer, { actorUserId, reason: 'topic_closed', at: deps.clock.now(), notice: t.staff('resolvedByClosing', { who }) })
    return recorded
  })
  if (change !== 'unchanged') deps.notify()
  return change
}
