import { and, eq } from 'drizzle-orm'
import { customers } from '../../db/schema/index.js'
import { logAssignment } from '../assignment-log.js'
import { customerName, findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { refusalFor } from '../permissions.js'

export type BanOutcome = { ok: true; text: string } | { ok: false; reason: string }

/**
 * `/ban` and `/unban` by a CS lead in one of the customer's topics: a banned client's messages
 * are stored but not relayed, and the client is told once (relay.bannedReply). Both are
 * recorded in the assignment log, so `/history` shows who did it and when.
 */
export async function setBanned(deps: DomainDeps, project: ProjectRuntime, customerId: number, actorUserId: number, banned: boolean): Promise<BanOutcome> {
  const refusal = refusalFor(project, actorUserId, banned ? 'ban_client' : 'unban_client')
  if (refusal) return { ok: false, reason: refusal }
  const customer = await findCustomer(deps.db, customerId)
  const t = textsOf(project)
  if (!customer) return { ok: false, reason: t.staff('customerGone') }
  const changed = await deps.db.transaction(async (tx) => {
    const [result] = await tx
      .update(customers)
      .set({ banned, banReplySent: false })
      .where(and(eq(customers.id, customerId), eq(customers.banned, !banned)))
    if (result.affectedRows === 0) return false
    await logAssignment(tx, { projectId: project.id, customerId, action: banned ? 'banned' : 'unbanned', actorUserId, reason: 'command' })
    return true
  })
  const name = customerName(customer)
  if (!changed) return { ok: false, reason: t.staff(banned ? 'banAlready' : 'banNot', { name }) }
  return {
    ok: true,
    text: t.staff(banned ? 'banDone' : 'unbanDone', { name }),
  }
}
