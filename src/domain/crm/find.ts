import { eq, inArray, like, or, type SQL } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { accounts, customers, customerTags, topics } from '../../db/schema/index.js'
import { customerName } from '../customers.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { usernameArgs } from '../onboarding/assignment-card.js'
import { homeRole } from '../roles.js'
import { normaliseTag } from './tags.js'

/** How many customers `/find` lists. */
export const FIND_LIMIT = 20

export type FindOutcome = { ok: true; text: string } | { ok: false; reason: string }

/**
 * `/find tag:<name>` or `/find <text>` in the CS group: the project's customers with that tag, or
 * whose email, account id, account name, name or username contains the text, each with a link
 * to their CS topic (up to FIND_LIMIT, newest first).
 */
export async function findCustomers(db: DbOrTx, project: ProjectRuntime, query: string): Promise<FindOutcome> {
  const condition = searchCondition(db, project, query)
  if ('reason' in condition) return { ok: false, reason: condition.reason }
  const rows = await db
    .select({ customer: customers, account: accounts })
    .from(customers)
    .leftJoin(accounts, eq(accounts.id, customers.accountId))
    .where(inProject(customers, project.id, condition.where))
    .orderBy(customers.id)
    .limit(FIND_LIMIT + 1)
  const t = textsOf(project)
  if (rows.length === 0) return { ok: true, text: t.staff('findNone', { query }) }
  const shown = rows.slice(0, FIND_LIMIT)
  const links = await topicLinks(
    db,
    project,
    shown.map((row) => row.customer.id),
    homeRole(project.roles).key,
  )
  const lines = shown.map(({ customer, account }) => {
    const who = [t.staff('nameWithUsername', { name: customerName(customer), ...usernameArgs(customer.username) }), account?.externalId, account?.email].filter(Boolean).join(' · ')
    return t.staff('findLine', { who, topic: links.get(customer.id) ?? t.staff('findNoTopic') })
  })
  const more = rows.length > FIND_LIMIT ? [t.staff('findMore', { limit: FIND_LIMIT })] : []
  return { ok: true, text: [t.staff('findTitle', { count: shown.length, query }), ...lines, ...more].join('\n').slice(0, 4000) }
}

/** A link to a message thread of a supergroup: its id without the -100 prefix. */
export function topicLink(chatId: number, threadId: number): string {
  return `https://t.me/c/${String(chatId).replace(/^-100/, '')}/${threadId}`
}

/** Which customers a query matches: a tag (within the project), or text in their names, email and account id. */
function searchCondition(db: DbOrTx, project: ProjectRuntime, query: string): { where: SQL } | { reason: string } {
  const t = textsOf(project)
  if (query === '') return { reason: t.staff('findWhom') }
  const byTag = /^tag:(.*)$/i.exec(query)
  if (byTag) {
    const tag = normaliseTag(byTag[1]!)
    if (!tag) return { reason: t.staff('findBadTag') }
    const tagged = db
      .select({ id: customerTags.customerId })
      .from(customerTags)
      .where(inProject(customerTags, project.id, eq(customerTags.tag, tag)))
    return { where: inArray(customers.id, tagged) }
  }
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const columns = [accounts.email, accounts.externalId, accounts.displayName, customers.firstName, customers.lastName, customers.username]
  return { where: or(...columns.map((column) => like(column, pattern)))! }
}

/** The live topic of a role (CS for `/find`, CR for `/mine`) of each customer that has one, as a link. */
export async function topicLinks(db: DbOrTx, project: ProjectRuntime, customerIds: number[], role: string): Promise<Map<number, string>> {
  if (customerIds.length === 0) return new Map()
  const rows = await db
    .select({ customerId: topics.customerId, chatId: topics.chatId, threadId: topics.threadId })
    .from(topics)
    .where(inProject(topics, project.id, inArray(topics.customerId, customerIds), eq(topics.role, role), inArray(topics.state, ['open', 'closed'])))
  return new Map(rows.flatMap((row) => (row.threadId ? [[row.customerId, topicLink(row.chatId, row.threadId)] as const] : [])))
}
