import mysql, { type Connection, type ResultSetHeader } from 'mysql2/promise'
import { Prng } from '../src/simulator/prng.js'
import type { Simulator } from '../src/simulator/index.js'
import type { BenchDatabase } from './bench-database.js'
import { accountIdOf, agencyCustomer, agencyTopicName, emailOf, seedActiveTopics, type AgencyCustomer, type AgencyWorld } from './agency-world.js'
import { teamKeyOf } from './scale-world.js'
import type { TrafficTarget } from './traffic.js'

/** Customers written per round (each table gets one multi-row INSERT per round). */
const ROUND = 2000
/** Every tenth customer has a history. */
const HISTORY_EVERY = 10
const HISTORY_MESSAGES = 10
/** Stored message ids of seeded history: far above anything the simulator hands out in a run. */
const CLIENT_MESSAGE_ID_BASE = 1_000_000
const STAFF_MESSAGE_ID_BASE = 50_000_000

export interface AgencySeedReport {
  customers: number
  active: number
  historyMessages: number
  seconds: number
  /** Where traffic goes: the active customers, in a shuffled order. */
  targets: TrafficTarget[]
}

/**
 * Writes `total` customers spread over every project and team as if each had been onboarded and
 * assigned (account, active customer with an owner, decided assignment, an open CS topic and CR
 * topic) and every tenth a history of 10 messages (8 from the client, 2 from the CS lead), with
 * multi-row INSERTs on one connection, `ROUND` customers at a time (ids from each INSERT's first
 * id: InnoDB numbers a multi-row INSERT consecutively). `active` of them, picked at random, also
 * exist in the simulator (user, forum topics): the traffic goes to those.
 */
export async function seedAgency(sim: Simulator, world: AgencyWorld, database: BenchDatabase, o: { total: number; active: number; seed: number }): Promise<AgencySeedReport> {
  const started = Date.now()
  const activeSet = pickActive(o.total, Math.min(o.active, o.total), o.seed)
  const connection = await mysql.createConnection({ uri: database.url, timezone: 'Z' })
  const targets: TrafficTarget[] = []
  let historyMessages = 0
  try {
    // Not in the statement log the bench keeps for the service (long_query_time is per session).
    await connection.query('SET SESSION foreign_key_checks = 0, long_query_time = 100000')
    const [projectRows] = (await connection.query('SELECT id, `key` FROM projects')) as unknown as [Array<{ id: number; key: string }>]
    const projectIds = new Map(projectRows.map((r) => [r.key, Number(r.id)]))
    for (let from = 0; from < o.total; from += ROUND) {
      const round = Array.from({ length: Math.min(ROUND, o.total - from) }, (_, k) => agencyCustomer(sim, world, from + k, activeSet.has(from + k)))
      seedActiveTopics(sim, round)
      historyMessages += await seedRound(connection, round, (c) => projectIds.get(c.project.key)!)
      for (const c of round) if (c.active) targets.push(targetOf(c))
    }
  } finally {
    await connection.end()
  }
  return { customers: o.total, active: targets.length, historyMessages, seconds: (Date.now() - started) / 1000, targets: shuffled(targets, o.seed) }
}

async function seedRound(connection: Connection, round: AgencyCustomer[], projectId: (c: AgencyCustomer) => number): Promise<number> {
  const now = new Date()
  const insert = async (table: string, columns: string[], rows: unknown[][]): Promise<number> => {
    if (rows.length === 0) return 0
    const [result] = (await connection.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [rows])) as unknown as [ResultSetHeader]
    if (result.affectedRows !== rows.length) throw new Error(`seeding ${table}: ${result.affectedRows} of ${rows.length} rows inserted`)
    return result.insertId
  }
  const firstAccount = await insert(
    'accounts',
    ['project_id', 'email', 'display_name', 'external_id', 'cr_team_hint'],
    round.map((c) => [projectId(c), emailOf(c), `Customer ${c.index}`, accountIdOf(c), teamKeyOf(c.project, c.teamIndex)]),
  )
  const firstCustomer = await insert(
    'customers',
    ['project_id', 'telegram_user_id', 'client_bot_id', 'account_id', 'state', 'first_name', 'cr_team', 'cr_team_hint_seen', 'owner_user_id', 'conversation'],
    round.map((c, k) => {
      const team = teamKeyOf(c.project, c.teamIndex)
      return [projectId(c), c.userId, c.project.bots.client.id, firstAccount + k, 'active', c.firstName, team, team, c.project.teams[c.teamIndex]!.agent.id, 'open']
    }),
  )
  const customerId = (k: number) => firstCustomer + k
  await insert(
    'assignments',
    ['project_id', 'customer_id', 'state', 'cr_team', 'cr_team_hint_seen', 'decided_by', 'decided_at'],
    round.map((c, k) => [projectId(c), customerId(k), 'assigned', teamKeyOf(c.project, c.teamIndex), teamKeyOf(c.project, c.teamIndex), c.project.lead.id, now]),
  )
  await insert(
    'topics',
    ['project_id', 'customer_id', 'role', 'team_key', 'chat_id', 'thread_id', 'name', 'state', 'last_activity_at'],
    round.flatMap((c, k) => [
      [projectId(c), customerId(k), 'cs', 'cs', c.project.cs.id, c.threads[0], agencyTopicName(c), 'open', now],
      [projectId(c), customerId(k), 'cr', teamKeyOf(c.project, c.teamIndex), c.project.teams[c.teamIndex]!.chat.id, c.threads[1], agencyTopicName(c), 'open', now],
    ]),
  )
  const history = round.flatMap((c, k) => (c.index % HISTORY_EVERY === 0 ? historyRows(c, projectId(c), customerId(k)) : []))
  await insert('messages', ['project_id', 'customer_id', 'origin', 'bot_id', 'chat_id', 'thread_id', 'message_id', 'sender_user_id', 'sender_role', 'kind', 'text', 'raw'], history)
  return history.length
}

/** 10 stored messages: every fifth from the CS lead in the CS topic, the rest from the client in the private chat. */
function historyRows(c: AgencyCustomer, projectId: number, customerId: number): unknown[][] {
  const rows: unknown[][] = []
  const date = Math.floor(Date.now() / 1000) - 86_400
  for (let seq = 1; seq <= HISTORY_MESSAGES; seq++) {
    if (seq % 5 === 0) {
      const messageId = STAFF_MESSAGE_ID_BASE + c.index * 20 + seq
      const text = `Answer ${seq} to ${c.firstName}: it ships tomorrow.`
      const raw = {
        message_id: messageId,
        date,
        chat: { id: c.project.cs.id, type: 'supergroup', is_forum: true },
        from: { id: c.project.lead.id, is_bot: false, first_name: 'Lead' },
        message_thread_id: c.threads[0],
        is_topic_message: true,
        text,
      }
      rows.push([projectId, customerId, 'staff', c.project.bots.cs.id, c.project.cs.id, c.threads[0], messageId, c.project.lead.id, 'cs', 'text', text, JSON.stringify(raw)])
    } else {
      const messageId = CLIENT_MESSAGE_ID_BASE + seq
      const text = `Question ${seq} from ${c.firstName}: where is my order?`
      const raw = {
        message_id: messageId,
        date,
        chat: { id: c.userId, type: 'private', first_name: c.firstName },
        from: { id: c.userId, is_bot: false, first_name: c.firstName },
        text,
      }
      rows.push([projectId, customerId, 'client', c.project.bots.client.id, c.userId, null, messageId, c.userId, null, 'text', text, JSON.stringify(raw)])
    }
  }
  return rows
}

function targetOf(c: AgencyCustomer): TrafficTarget {
  return {
    customer: { index: c.index, user: { id: c.userId }, name: c.firstName },
    clientBotId: c.project.bots.client.id,
    topics: [
      { chatId: c.project.cs.id, threadId: c.threads[0] },
      { chatId: c.project.teams[c.teamIndex]!.chat.id, threadId: c.threads[1] },
    ],
  }
}

/** `count` distinct customer indexes out of `total`, at random: the traffic reaches every project and team, anywhere in the tables. */
function pickActive(total: number, count: number, seed: number): Set<number> {
  const prng = new Prng(seed)
  const picked = new Set<number>()
  while (picked.size < count) picked.add(prng.int(0, total - 1))
  return picked
}

function shuffled<T>(items: T[], seed: number): T[] {
  const prng = new Prng(seed + 1)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.int(0, i)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
