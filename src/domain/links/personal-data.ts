import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { inProject, type ProjectScope } from '../../db/project-scope.js'
import { customerAttributions, linkClicks } from '../../db/schema/index.js'
import { readParams } from './links.js'

/** The clicks a customer started the client bot with (their address, user agent…), and their attribution: for `customer export`. */
export async function customerLinkData(db: DbOrTx, scope: ProjectScope, customerId: number) {
  const clicks = await db
    .select()
    .from(linkClicks)
    .where(inProject(linkClicks, scope.projectId, eq(linkClicks.customerId, customerId)))
    .orderBy(linkClicks.id)
  const [attribution] = await db
    .select()
    .from(customerAttributions)
    .where(inProject(customerAttributions, scope.projectId, eq(customerAttributions.customerId, customerId)))
  return { linkClicks: clicks.map((click) => ({ ...click, params: readParams(click.params) })), attribution: attribution ?? null }
}

/**
 * Erases what the customer's clicks say about them (address, user agent and what was read from it,
 * referrer, the URL's parameters); the rows stay, so the links' counts remain. Their visitor key
 * becomes one per customer, so they still count as one visitor. Returns how many clicks.
 */
export async function eraseCustomerClicks(tx: DbOrTx, scope: ProjectScope, customerId: number): Promise<number> {
  const [erased] = await tx
    .update(linkClicks)
    .set({ ip: null, userAgent: null, browser: null, os: null, device: null, referrer: null, params: null, visitor: `erased customer ${customerId}` })
    .where(inProject(linkClicks, scope.projectId, eq(linkClicks.customerId, customerId)))
  return erased.affectedRows
}
