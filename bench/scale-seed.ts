import type { Simulator } from '../src/simulator/index.js'
import type { BenchDatabase } from './bench-database.js'
import type { ScaleCustomer, ScaleProject } from './scale-world.js'
import type { TrafficTarget } from './traffic.js'

type IdRow = { id: number; key: string | number }

/** What seeding needs of a world: its projects (their bots, groups, teams); the scale world and capacity's `--seeded` bench world both give it. */
export interface SeedWorld {
  scaleProjects: ScaleProject[]
}

/** Topic name as the service gives it ("name · account id"). */
const topicName = (c: ScaleCustomer) => `${c.user.firstName} · ${c.accountId}`

/**
 * Puts `customers` in the database as if each had been onboarded and assigned to their CR team
 * (account, active customer with an owner, decided assignment, an open topic in the CS group and
 * one in the team's group), with multi-row INSERTs, and gives the simulator the matching forum
 * topics (created by the project's CS / CR bot, no updates). Nothing goes through Telegram.
 * Returns where each customer's copies must land, for the traffic.
 */
export async function seedScaleCustomers(sim: Simulator, world: SeedWorld, database: BenchDatabase, customers: ScaleCustomer[]): Promise<TrafficTarget[]> {
  const projectIds = await idsBy(database, 'SELECT id, `key` FROM projects')
  const projectId = (c: ScaleCustomer) => projectIds.get(c.project.key)!
  const threads = seedSimulatorTopics(sim, world, customers)
  const after = async (table: string) => Number(((await database.query(`SELECT COALESCE(MAX(id), 0) AS n FROM \`${table}\``)) as Array<{ n: number }>)[0]?.n ?? 0)

  const accountsFrom = await after('accounts')
  await database.insertMany(
    'accounts',
    ['project_id', 'email', 'display_name', 'external_id', 'cr_team_hint'],
    customers.map((c) => [projectId(c), c.email, c.name, c.accountId, c.crTeam]),
  )
  const accountIds = await idsBy(database, 'SELECT id, email AS `key` FROM accounts WHERE id > ?', [accountsFrom])

  const customersFrom = await after('customers')
  await database.insertMany(
    'customers',
    ['project_id', 'telegram_user_id', 'client_bot_id', 'account_id', 'state', 'first_name', 'cr_team', 'cr_team_hint_seen', 'owner_user_id', 'conversation'],
    customers.map((c) => [
      projectId(c),
      c.user.id,
      c.project.bots.client.id,
      accountIds.get(c.email),
      'active',
      c.user.firstName,
      c.crTeam,
      c.crTeam,
      c.project.teams[c.teamIndex]!.agent.id,
      'open',
    ]),
  )
  const customerIds = await idsBy(database, 'SELECT id, telegram_user_id AS `key` FROM customers WHERE id > ?', [customersFrom])
  const customerId = (c: ScaleCustomer) => customerIds.get(String(c.user.id))!

  await database.insertMany(
    'assignments',
    ['project_id', 'customer_id', 'state', 'cr_team', 'cr_team_hint_seen', 'decided_by', 'decided_at'],
    customers.map((c) => [projectId(c), customerId(c), 'assigned', c.crTeam, c.crTeam, c.project.lead.id, new Date()]),
  )
  const now = new Date()
  await database.insertMany(
    'topics',
    ['project_id', 'customer_id', 'role', 'team_key', 'chat_id', 'thread_id', 'name', 'state', 'last_activity_at'],
    customers.flatMap((c, i) => {
      const [cs, cr] = threads[i]!
      return [
        [projectId(c), customerId(c), 'cs', 'cs', c.project.cs.id, cs, topicName(c), 'open', now],
        [projectId(c), customerId(c), 'cr', c.crTeam, c.project.teams[c.teamIndex]!.chat.id, cr, topicName(c), 'open', now],
      ]
    }),
  )
  return customers.map((c, i) => ({
    customer: c,
    clientBotId: c.project.bots.client.id,
    topics: [
      { chatId: c.project.cs.id, threadId: threads[i]![0] },
      { chatId: c.project.teams[c.teamIndex]!.chat.id, threadId: threads[i]![1] },
    ],
  }))
}

/** The simulator's topics of each customer, [CS thread, CR thread], in the order of `customers`. */
function seedSimulatorTopics(sim: Simulator, world: SeedWorld, customers: ScaleCustomer[]): Array<[number, number]> {
  const threads = customers.map((): [number, number] => [0, 0])
  /** Topics for the customers at `indexes` in one group, by one bot; each thread goes in slot `slot`. */
  const seed = (chatId: number, botId: number, indexes: number[], slot: 0 | 1) =>
    sim
      .seedTopics(
        chatId,
        botId,
        indexes.map((i) => topicName(customers[i]!)),
      )
      .forEach((thread, k) => (threads[indexes[k]!]![slot] = thread))
  for (const project of world.scaleProjects) {
    const mine = customers.flatMap((c, i) => (c.project === project ? [i] : []))
    seed(project.cs.id, project.bots.cs.id, mine, 0)
    project.teams.forEach((team, t) =>
      seed(
        team.chat.id,
        project.bots.cr.id,
        mine.filter((i) => customers[i]!.teamIndex === t),
        1,
      ),
    )
  }
  return threads
}

/** id by key (as a string) from a two-column query. */
async function idsBy(database: BenchDatabase, sql: string, values?: unknown[]): Promise<Map<string, number>> {
  const rows = (await database.query(sql, values)) as IdRow[]
  return new Map(rows.map((r) => [String(r.key), Number(r.id)]))
}
