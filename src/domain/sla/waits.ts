import { and, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { unansweredWaits } from '../../db/schema/index.js'
import type { Customer } from '../customers.js'
import { queueClientText } from '../onboarding/notify-client.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { isBusinessTime } from './business-hours.js'

export type UnansweredWait = typeof unansweredWaits.$inferSelect

/** A customer's wait row, found within its project. */
export const waitOf = (projectId: number, customerId: number) => and(eq(unansweredWaits.projectId, projectId), eq(unansweredWaits.customerId, customerId))

/** Whether a customer resolve came after a moment: a resolved conversation ends what was waiting before it. */
export function resolvedSince(customer: Pick<Customer, 'resolvedAt'>, since: Date | null): boolean {
  return Boolean(customer.resolvedAt && since && customer.resolvedAt >= since)
}

/**
 * A client message reached the customer's topics: it starts the customer's wait for an answer
 * unless an earlier message is still waiting (the oldest unanswered message counts). Runs in
 * the relay's transaction, which holds the customer's row lock; returns the wait row.
 */
export async function startWait(tx: DbOrTx, project: ProjectRuntime, customer: Customer, messageRowId: number, now: Date): Promise<UnansweredWait | undefined> {
  if (!project.config.sla.enabled) return undefined
  await tx.insert(unansweredWaits).ignore().values({ projectId: project.id, customerId: customer.id })
  const [wait] = await tx.select().from(unansweredWaits).where(waitOf(project.id, customer.id)).for('update')
  if (!wait) throw new Error(`Unanswered wait of customer ${customer.id} vanished right after insert`)
  if (wait.messageRowId !== null && !resolvedSince(customer, wait.waitingSince)) return wait
  const started = { messageRowId, waitingSince: now, remindersSent: 0 }
  await tx.update(unansweredWaits).set(started).where(waitOf(project.id, customer.id))
  return { ...wait, ...started }
}

/**
 * A live client message was relayed: its wait starts (see `startWait`) and, outside business
 * hours, the client gets the auto-reply once per conversation (until a staff answer or a resolve).
 */
export async function clientMessageRelayed(tx: DbOrTx, project: ProjectRuntime, customer: Customer, messageRowId: number, now: Date): Promise<void> {
  const wait = await startWait(tx, project, customer, messageRowId, now)
  const { outsideHoursReply, businessHours } = project.config.sla
  if (!wait || !outsideHoursReply || isBusinessTime(now, businessHours)) return
  if (wait.autoRepliedAt && !resolvedSince(customer, wait.autoRepliedAt)) return
  await queueClientText(tx, project, customer.telegramUserId, outsideHoursReply)
  await tx.update(unansweredWaits).set({ autoRepliedAt: now }).where(waitOf(project.id, customer.id))
}

/**
 * A staff answer reached the client (an internal note is not one): nothing waits any more, and
 * the next message outside business hours gets the auto-reply again.
 */
export async function staffAnswered(tx: DbOrTx, project: Pick<ProjectRuntime, 'id'>, customerId: number): Promise<void> {
  await tx.update(unansweredWaits).set({ messageRowId: null, waitingSince: null, remindersSent: 0, autoRepliedAt: null }).where(waitOf(project.id, customerId))
}
