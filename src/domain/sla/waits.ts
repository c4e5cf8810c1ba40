import { eq, sql, type SQL } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { isDuplicateKey } from '../../db/errors.js'
import { unansweredWaits } from '../../db/schema/index.js'
import type { Customer } from '../customers.js'
import { sendAutoAnswer } from '../autoreply/auto-answer.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { isBusinessTime } from './business-hours.js'

export type UnansweredWait = typeof unansweredWaits.$inferSelect

/** A customer's wait row, found within its project. */
export const waitOf = (projectId: number, customerId: number) => inProject(unansweredWaits, projectId, eq(unansweredWaits.customerId, customerId))

/** Whether a customer resolve came after a moment: a resolved conversation ends what was waiting before it. */
export function resolvedSince(customer: Pick<Customer, 'resolvedAt'>, since: Date | null): boolean {
  return Boolean(customer.resolvedAt && since && customer.resolvedAt >= since)
}

/** What the relay's locking read found of the customer's wait: whether its row exists, and since when it waits (null: nothing waits). */
export interface KnownWait {
  exists: boolean
  since: Date | null
}

/**
 * A client message reached the customer's topics: it starts the customer's wait for an answer
 * unless an earlier message is still waiting (the oldest unanswered message counts; a resolve
 * since it ends that wait). One write in the relay's transaction, which holds the customer's
 * row lock. `known`, when the caller read the wait in the same transaction, skips the write where
 * the customer already waits, and makes a customer's first wait a plain INSERT; otherwise (and
 * should that insert meet a row after all) an upsert: MySQL applies ON DUPLICATE KEY assignments
 * left to right, each seeing the columns already assigned: `waiting_since`, which decides the
 * restart, is assigned last, in SQL written here (drizzle would order them by column).
 */
export async function startWait(tx: DbOrTx, project: ProjectRuntime, customer: Customer, messageRowId: number, now: Date, known?: KnownWait): Promise<boolean> {
  if (!project.config.sla.enabled) return false
  // Read with the customer's lock (see `waitingSinceColumn`): an earlier message still waits, so
  // the upsert would change nothing. A staff answer does not take the customer's lock: one
  // committing right after the read ends the wait as it would right after the upsert (either
  // way an answer concurrent with the message, which it did not see).
  if (known?.since && !resolvedSince(customer, known.since)) return true
  // An upsert of a new key locks the gap it goes into until the commit (MariaDB 10.11): new
  // customers' rows all sort last, so their first messages' relay transactions waited for each
  // other one by one. A plain INSERT takes no such lock.
  if (known && !known.exists && (await insertWait(tx, project, customer, messageRowId, now))) return true
  const restart = sql`(waiting_since IS NULL OR waiting_since <= ${customer.resolvedAt})`
  await tx.execute(sql`
    INSERT INTO unanswered_waits (project_id, customer_id, message_row_id, waiting_since, reminders_sent)
    VALUES (${project.id}, ${customer.id}, ${messageRowId}, ${now}, 0)
    ON DUPLICATE KEY UPDATE
      reminders_sent = IF(${restart}, 0, reminders_sent),
      message_row_id = IF(${restart}, VALUES(message_row_id), message_row_id),
      waiting_since = IF(${restart}, VALUES(waiting_since), waiting_since),
      updated_at = CURRENT_TIMESTAMP(3)`)
  return true
}

/** The customer's first wait row; false when one exists after all (then the caller upserts). */
async function insertWait(tx: DbOrTx, project: ProjectRuntime, customer: Customer, messageRowId: number, now: Date): Promise<boolean> {
  try {
    await tx.insert(unansweredWaits).values(projectRow(unansweredWaits, project.id, { customerId: customer.id, messageRowId, waitingSince: now, remindersSent: 0 }))
    return true
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
}

/**
 * The customer's `waiting_since` as a column of a statement reading the customers table (the
 * relay's locking read), so that read also tells whether the customer already waits.
 */
export function waitingSinceColumn(): SQL<string | null> {
  return sql<string | null>`(SELECT w.waiting_since FROM unanswered_waits w WHERE w.project_id = customers.project_id AND w.customer_id = customers.id)`
}

/** Whether the customer has a wait row, as a column of the relay's locking read (with `waitingSinceColumn`, the `KnownWait`). */
export function waitExistsColumn(): SQL<number> {
  return sql<number>`EXISTS (SELECT 1 FROM unanswered_waits w WHERE w.project_id = customers.project_id AND w.customer_id = customers.id)`
}

/** The `waitingSinceColumn` value as a date (UTC, as drizzle reads DATETIME). */
export function parseWaitingSince(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null
  return value instanceof Date ? value : (unansweredWaits.waitingSince.mapFromDriverValue(value) as Date)
}

/**
 * A live client message was relayed: its wait starts (see `startWait`) and, outside business
 * hours, the client gets the auto-reply once per conversation (until a staff answer or a resolve).
 */
export async function clientMessageRelayed(tx: DbOrTx, project: ProjectRuntime, customer: Customer, messageRowId: number, now: Date, known?: KnownWait): Promise<void> {
  const started = await startWait(tx, project, customer, messageRowId, now, known)
  const { outsideHoursReply, businessHours } = project.config.sla
  if (!started || !outsideHoursReply || isBusinessTime(now, businessHours)) return
  const [wait] = await tx.select({ autoRepliedAt: unansweredWaits.autoRepliedAt }).from(unansweredWaits).where(waitOf(project.id, customer.id))
  if (wait?.autoRepliedAt && !resolvedSince(customer, wait.autoRepliedAt)) return
  // An automatic answer like the auto-replies: the topics show it too.
  await sendAutoAnswer(tx, project, customer, { text: outsideHoursReply, noPersonButton: true, replyToRowId: messageRowId })
  await tx.update(unansweredWaits).set({ autoRepliedAt: now }).where(waitOf(project.id, customer.id))
}

/**
 * A staff answer reached the client (an internal note is not one): nothing waits any more, and
 * the next message outside business hours gets the auto-reply again.
 */
export async function staffAnswered(tx: DbOrTx, project: Pick<ProjectRuntime, 'id' | 'config'>, customerId: number): Promise<void> {
  if (!project.config.sla.enabled) return
  await tx.update(unansweredWaits).set({ messageRowId: null, waitingSince: null, remindersSent: 0, autoRepliedAt: null }).where(waitOf(project.id, customerId))
}
