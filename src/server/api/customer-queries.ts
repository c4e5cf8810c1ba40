import { desc, eq, like, or, sql } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { accounts, customers, topics } from '../../db/schema/index.js'

/** A customer as the API shows it: profile, account and state, never another project's. */
export async function searchCustomers(db: DbOrTx, projectId: number, options: { q?: string; limit: number; offset: number }) {
  const q = options.q?.trim()
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined
  const matches = pattern
    ? or(
        like(accounts.email, pattern),
        like(accounts.externalId, pattern),
        like(accounts.displayName, pattern),
        like(customers.firstName, pattern),
        like(customers.lastName, pattern),
        like(customers.username, pattern),
        /^\d+$/.test(q!) ? eq(customers.telegramUserId, Number(q)) : sql`FALSE`,
      )
    : undefined
  return db
    .select(customerColumns)
    .from(customers)
    .leftJoin(accounts, inProject(accounts, projectId, eq(accounts.id, customers.accountId)))
    .where(inProject(customers, projectId, matches))
    .orderBy(desc(customers.id))
    .limit(options.limit)
    .offset(options.offset)
}

export async function customerInProject(db: DbOrTx, projectId: number, customerId: number) {
  const [row] = await db
    .select(customerColumns)
    .from(customers)
    .leftJoin(accounts, inProject(accounts, projectId, eq(accounts.id, customers.accountId)))
    .where(inProject(customers, projectId, eq(customers.id, customerId)))
  return row
}

export async function topicsOfCustomer(db: DbOrTx, projectId: number, customerId: number) {
  return db
    .select({
      id: topics.id,
      role: topics.role,
      team: topics.teamKey,
      chatId: topics.chatId,
      threadId: topics.threadId,
      name: topics.name,
      state: topics.state,
      lastActivityAt: topics.lastActivityAt,
    })
    .from(topics)
    .where(inProject(topics, projectId, eq(topics.customerId, customerId)))
    .orderBy(topics.id)
}

const customerColumns = {
  id: customers.id,
  telegramUserId: customers.telegramUserId,
  state: customers.state,
  firstName: customers.firstName,
  lastName: customers.lastName,
  username: customers.username,
  crTeam: customers.crTeam,
  treatment: customers.treatment,
  blocked: customers.blocked,
  createdAt: customers.createdAt,
  account: { email: accounts.email, name: accounts.displayName, accountId: accounts.externalId },
}
