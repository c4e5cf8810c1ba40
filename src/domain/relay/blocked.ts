import { and, eq } from 'drizzle-orm'
import { customers } from '../../db/schema/index.js'
import { findCustomerByUser } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { noticeToTopics } from '../topic-notices.js'

/**
 * The client blocked (or unblocked) the client bot. Each topic gets one notice; while blocked,
 * staff messages are answered at once instead of being retried.
 */
export async function setClientBlocked(deps: DomainDeps, project: ProjectRuntime, telegramUserId: number, blocked: boolean): Promise<boolean> {
  const changed = await deps.db.transaction(async (tx) => {
    const customer = await findCustomerByUser(tx, project.id, telegramUserId)
    if (!customer) return false
    const [result] = await tx
      .update(customers)
      .set({ blocked })
      .where(and(eq(customers.id, customer.id), eq(customers.blocked, !blocked)))
    if (result.affectedRows === 0) return false
    const text = textsOf(project).staff(blocked ? 'clientBlockedBot' : 'clientUnblockedBot')
    await noticeToTopics(tx, project, customer.id, { text })
    return true
  })
  if (changed) deps.notify()
  return changed
}
