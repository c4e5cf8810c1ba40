import { and, count, eq, gte, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { assistantAnswers, assistantHandovers, customers, messages } from '../../db/schema/index.js'
import type { Customer } from '../customers.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { isBusinessTime } from '../sla/business-hours.js'
import { queueAssistantJob } from './jobs.js'
import { recentConversation } from './suggestions.js'
import { assistantModeOf } from './mode.js'
import type { AssistantTrigger } from './triggers.js'

/** The job kind of an automatic answer (`src/assistant/jobs/answer.ts`). */
export const ANSWER_JOB = 'answer'

/** What the answer job needs: the customer and the stored client message it may answer. */
export interface AnswerJobPayload {
  customerId: number
  messageRowId: number
}

/**
 * Answer mode's trigger: a live text message of a customer whose mode is `answer` queues an
 * answer job (the relay has already queued its copies; nothing waits on the job). Whether it
 * answers is decided when the job runs (`answerBlocker`), as a person may write meanwhile, and a
 * burst of messages gets one answer, to its latest (`isLatestClientMessage`).
 */
export const queueAnswerJob: AssistantTrigger = async (tx, _clock, project, event) => {
  if (event.kind !== 'client_message' || event.stored.kind !== 'text' || !event.stored.text) return
  if (event.stored.botId === 0) return // the "Talk to a person" message (autoreply/handoff)
  if (assistantModeOf(project, event.customer) !== 'answer') return
  const payload: AnswerJobPayload = { customerId: event.customer.id, messageRowId: event.stored.id }
  await queueAssistantJob(tx, project, { kind: ANSWER_JOB, payload, customerId: event.customer.id })
}

/** Why the assistant must not answer now, or undefined: handed over, a person wrote lately, the mode changed, the customer is gone. */
export async function answerBlocker(db: DbOrTx, project: ProjectRuntime, customer: Customer | undefined, now: Date): Promise<string | undefined> {
  if (!customer || customer.state !== 'active' || customer.banned) return 'inactive'
  if (assistantModeOf(project, customer) !== 'answer') return 'mode'
  const [handover] = await db
    .select({ since: assistantHandovers.since })
    .from(assistantHandovers)
    .where(inProject(assistantHandovers, project.id, eq(assistantHandovers.customerId, customer.id)))
  if (handover) return 'handed_over'
  const quietMs = project.config.assistant!.answer.quietMinutesAfterStaff * 60_000
  const [staff] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.customerId, customer.id), eq(messages.origin, 'staff'), gte(messages.createdAt, new Date(now.getTime() - quietMs))))
    .limit(1)
  return staff ? 'staff_wrote' : undefined
}

/**
 * Whether a client message is still the customer's latest (relayed text) client message: a burst
 * of messages gets one answer, to its last message (as suggestions do, `suggestionContext`).
 */
export async function isLatestClientMessage(db: DbOrTx, customerId: number, messageRowId: number): Promise<boolean> {
  const lastClient = (await recentConversation(db, customerId)).filter((line) => line.origin === 'client').at(-1)
  return lastClient?.id === messageRowId
}

/** Whether `answer.when` lets the assistant answer a question retrieval is not confident about (`always`; `outside_hours` outside business hours). */
export function answersWhenNotConfident(project: ProjectRuntime, now: Date): boolean {
  const when = project.config.assistant!.answer.when
  return when === 'always' || (when === 'outside_hours' && !isBusinessTime(now, project.config.sla.businessHours))
}

/** Records an automatic answer (in the transaction that queues it); returns its id. */
export async function recordAnswer(
  tx: DbOrTx,
  project: ProjectRuntime,
  answer: { customerId: number; messageRowId: number; text: string; sources: string[]; confident: boolean },
): Promise<number> {
  const [result] = await tx.insert(assistantAnswers).values(projectRow(assistantAnswers, project.id, { ...answer, sources: JSON.stringify(answer.sources) }))
  return Number(result.insertId)
}

/**
 * The client asked for a person after automatic answers (ones not handed over yet): they are all
 * marked handed over (the handover rate counts answers the client went past), and the assistant
 * stops for this conversation until it is resolved. False when the assistant had not answered
 * (a press under a plain auto-reply). In the press's transaction.
 */
export async function assistantHandedOver(tx: DbOrTx, project: ProjectRuntime, customerId: number, now: Date): Promise<boolean> {
  const [result] = await tx
    .update(assistantAnswers)
    .set({ handedOverAt: now })
    .where(inProject(assistantAnswers, project.id, eq(assistantAnswers.customerId, customerId), isNull(assistantAnswers.handedOverAt)))
  if (result.affectedRows === 0) return false
  await tx
    .insert(assistantHandovers)
    .values(projectRow(assistantHandovers, project.id, { customerId, since: now }))
    .onDuplicateKeyUpdate({ set: { since: sql`since` } })
  return true
}

/** The conversation was resolved: the assistant may answer again (its next question). */
export async function endAssistantHandover(tx: DbOrTx, projectId: number, customerId: number): Promise<void> {
  await tx.delete(assistantHandovers).where(inProject(assistantHandovers, projectId, eq(assistantHandovers.customerId, customerId)))
}

/** Automatic answers of [from, to) and how many were handed over (the `/stats` handover rate). */
export async function handoverCounts(db: DbOrTx, projectId: number, from: Date, to: Date): Promise<{ answers: number; handedOver: number }> {
  const where = inProject(assistantAnswers, projectId, gte(assistantAnswers.createdAt, from), lt(assistantAnswers.createdAt, to))
  const [all] = await db.select({ n: count() }).from(assistantAnswers).where(where)
  const [handed] = await db
    .select({ n: count() })
    .from(assistantAnswers)
    .where(and(where, isNotNull(assistantAnswers.handedOverAt)))
  return { answers: Number(all?.n ?? 0), handedOver: Number(handed?.n ?? 0) }
}

/** The customer's row, for the job (read again when it runs). */
export async function customerForAnswer(db: DbOrTx, project: ProjectRuntime, customerId: number): Promise<Customer | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(inProject(customers, project.id, eq(customers.id, customerId)))
  return row
}

/** A customer's automatic answers, for `customer export`. */
export async function customerAssistantAnswers(db: DbOrTx, projectId: number, customerId: number) {
  return db
    .select()
    .from(assistantAnswers)
    .where(inProject(assistantAnswers, projectId, eq(assistantAnswers.customerId, customerId)))
    .orderBy(assistantAnswers.id)
}

/** `forget`: the answers' texts and sources erased (the rows stay, anonymous, for the handover rate), the handover ended. Returns the answers erased. */
export async function eraseCustomerAssistantAnswers(tx: DbOrTx, projectId: number, customerId: number): Promise<number> {
  await endAssistantHandover(tx, projectId, customerId)
  const [result] = await tx
    .update(assistantAnswers)
    .set({ text: '', sources: '[]' })
    .where(inProject(assistantAnswers, projectId, eq(assistantAnswers.customerId, customerId)))
  return result.affectedRows
}
