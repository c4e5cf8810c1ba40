import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { inProject, type ProjectScope, projectRow } from '../db/project-scope.js'
import { activeTopicStates, customers, topics } from '../db/schema/index.js'
import { BUILT_IN_TEXTS } from '../texts/index.js'
import { sqlList } from '../db/sql-list.js'

export type Customer = typeof customers.$inferSelect
export type Topic = typeof topics.$inferSelect

export interface TelegramPerson {
  id: number
  firstName: string
  lastName?: string
  username?: string
  /** Telegram's `language_code` of the user's app, when it sends one. */
  languageCode?: string
}

/**
 * Finds or creates the customer record of a Telegram user talking to a project's client bot; a
 * language code the user's app sends is kept up to date (routing prefers agents speaking it).
 */
export async function upsertCustomer(db: DbOrTx, projectId: number, clientBotId: number, person: TelegramPerson): Promise<Customer> {
  const languageCode = person.languageCode?.slice(0, 16)
  await db
    .insert(customers)
    .values(
      projectRow(customers, projectId, { clientBotId, telegramUserId: person.id, firstName: person.firstName, lastName: person.lastName, username: person.username, languageCode }),
    )
    .onDuplicateKeyUpdate({ set: languageCode ? { languageCode } : { id: sql`id` } })
  const customer = await findCustomerByUser(db, projectId, person.id)
  if (!customer) throw new Error(`Customer ${person.id} vanished right after insert`)
  return customer
}

export async function findCustomerByUser(db: DbOrTx, projectId: number, telegramUserId: number): Promise<Customer | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(inProject(customers, projectId, eq(customers.telegramUserId, telegramUserId)))
  return row
}

export async function findCustomer(db: DbOrTx, id: number): Promise<Customer | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.id, id))
  return row
}

export function customerName(customer: Pick<Customer, 'firstName' | 'lastName'>): string {
  return [customer.firstName, customer.lastName].filter(Boolean).join(' ') || BUILT_IN_TEXTS.staff('customerWithoutName')
}

/** Topics that take relayed messages now: being created, open, or closed (reopened on the next client message); never retired or deleted. */
export async function activeTopics(db: DbOrTx, customerId: number): Promise<Topic[]> {
  return db
    .select()
    .from(topics)
    .where(and(eq(topics.customerId, customerId), inArray(topics.state, activeTopicStates)))
    .orderBy(topics.id)
}

const topicColumns = Object.entries(getTableColumns(topics))

/**
 * `activeTopics` as a column of a statement reading the customers table (the relay's locking
 * read): the topics as one JSON array, parsed by `parseActiveTopics`. A plain subquery: a locking
 * read does not lock the rows of a nested subquery, so it reads the topics as a separate select
 * after the customer's lock would (a consistent read of what was committed when it ran).
 */
export function activeTopicsColumn(): SQL<unknown> {
  const fields = sql.join(
    topicColumns.map(([key, column]) => sql`${key}, t.${sql.identifier(column.name)}`),
    sql`, `,
  )
  // Names spelled out: in a select list drizzle leaves columns unqualified.
  return sql`(SELECT JSON_ARRAYAGG(JSON_OBJECT(${fields})) FROM topics t
    WHERE t.customer_id = customers.id AND t.state IN (${sqlList(activeTopicStates)}))`
}

/** The topics `activeTopicsColumn` read, mapped as drizzle maps a row (dates from UTC strings), ordered by id. */
export function parseActiveTopics(value: unknown): Topic[] {
  if (value === null || value === undefined) return []
  const objects = (typeof value === 'string' ? JSON.parse(value) : value) as Array<Record<string, unknown>>
  const rows = objects.map(
    (object) => Object.fromEntries(topicColumns.map(([key, column]) => [key, object[key] === null ? null : column.mapFromDriverValue(object[key])])) as Topic,
  )
  return rows.sort((a, b) => a.id - b.id)
}

/** The project's customer topic a staff message was written in. */
export async function topicByThread(db: DbOrTx, scope: ProjectScope, chatId: number, threadId: number): Promise<Topic | undefined> {
  const [row] = await db
    .select()
    .from(topics)
    .where(inProject(topics, scope.projectId, eq(topics.chatId, chatId), eq(topics.threadId, threadId)))
  return row
}
