import { asc, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { inProject, type ProjectScope, projectRow } from '../../db/project-scope.js'
import { customerAnswers, flowPositions } from '../../db/schema/index.js'

/** How long a flow waits for the client's answer or press; after that their messages are ordinary again. */
export const FLOW_IDLE_MS = 60 * 60_000

export type FlowPosition = { flow: string; step: string }

/** Stores a client's answer to a flow question (the latest per key is kept). */
export async function storeAnswer(tx: DbOrTx, scope: ProjectScope, customerId: number, key: string, value: string, now: Date): Promise<void> {
  await tx
    .insert(customerAnswers)
    .values(projectRow(customerAnswers, scope.projectId, { customerId, key, value: value.slice(0, 1000), answeredAt: now }))
    .onDuplicateKeyUpdate({ set: { value: sql`VALUES(value)`, answeredAt: sql`VALUES(answered_at)` } })
}

/** A customer's answers, by key (the profile card's line; a broadcast segment may select on them). */
export async function customerAnswerList(db: DbOrTx, scope: ProjectScope, customerId: number): Promise<Array<{ key: string; value: string }>> {
  return db
    .select({ key: customerAnswers.key, value: customerAnswers.value })
    .from(customerAnswers)
    .where(inProject(customerAnswers, scope.projectId, eq(customerAnswers.customerId, customerId)))
    .orderBy(asc(customerAnswers.key))
}

/** Where the customer is in a flow, unless they left it idle longer than `FLOW_IDLE_MS`. */
export async function flowPositionOf(tx: DbOrTx, scope: ProjectScope, customerId: number, now: Date): Promise<FlowPosition | undefined> {
  const [row] = await tx
    .select()
    .from(flowPositions)
    .where(inProject(flowPositions, scope.projectId, eq(flowPositions.customerId, customerId)))
  if (!row || now.getTime() - row.reachedAt.getTime() > FLOW_IDLE_MS) return undefined
  return { flow: row.flow, step: row.step }
}

/** The customer reached a step that waits for them (undefined: they are in no flow any more). */
export async function setFlowPosition(tx: DbOrTx, scope: ProjectScope, customerId: number, position: FlowPosition | undefined, now: Date): Promise<void> {
  if (!position) {
    await tx.delete(flowPositions).where(inProject(flowPositions, scope.projectId, eq(flowPositions.customerId, customerId)))
    return
  }
  await tx
    .insert(flowPositions)
    .values(projectRow(flowPositions, scope.projectId, { customerId, ...position, reachedAt: now }))
    .onDuplicateKeyUpdate({ set: { flow: sql`VALUES(flow)`, step: sql`VALUES(step)`, reachedAt: sql`VALUES(reached_at)` } })
}

/** `customer forget`: their answers and flow position go (free text they typed). */
export async function eraseCustomerAnswers(tx: DbOrTx, scope: ProjectScope, customerId: number): Promise<void> {
  await tx.delete(customerAnswers).where(inProject(customerAnswers, scope.projectId, eq(customerAnswers.customerId, customerId)))
  await tx.delete(flowPositions).where(inProject(flowPositions, scope.projectId, eq(flowPositions.customerId, customerId)))
}

/** The customers of a project who answered `key` (with `value`, when given): a broadcast segment. */
export async function customersWithAnswer(db: DbOrTx, scope: ProjectScope, key: string, value?: string): Promise<number[]> {
  const rows = await db
    .select({ customerId: customerAnswers.customerId })
    .from(customerAnswers)
    .where(inProject(customerAnswers, scope.projectId, eq(customerAnswers.key, key), ...(value === undefined ? [] : [eq(customerAnswers.value, value)])))
  return rows.map((row) => row.customerId)
}
