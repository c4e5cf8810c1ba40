import type { Simulator } from '../src/simulator/index.js'
import type { BenchDatabase } from './bench-database.js'
import type { BenchWorld } from './bench-world.js'
import type { CustomerTopics } from './onboarding.js'
import { sleep } from './stats.js'

type Row = Record<string, unknown>

/** Stored message ids of seeded rows, far above anything the simulator hands out in a run. */
const CLIENT_MESSAGE_ID_BASE = 1_000_000
const STAFF_MESSAGE_ID_BASE = 50_000_000

export const historyTag = (customer: number, seq: number) => `[b${customer}.${seq}]`
const clientText = (name: string, seq: number, customer: number) => `Question ${seq} from ${name}: where is my order? ${historyTag(customer, seq)}`
const staffText = (name: string, seq: number, customer: number) => `Answer ${seq} to ${name}: it ships tomorrow. ${historyTag(customer, seq)}`
/** Every fifth message of the seeded history is a staff answer, the rest client messages. */
const isStaff = (seq: number) => seq % 5 === 0

/**
 * Gives each customer a history of `perCustomer` tagged messages ([b<customer>.<seq>], seq 1…N):
 * message 1 (client) and 2 (the lead, in the CS topic) go through Telegram for real; the rest
 * are copies of those two stored rows inserted into `messages` directly (new message_id, text
 * and raw), so the setup does not go through Telegram's limits. Returns the number of rows.
 */
export async function seedHistory(sim: Simulator, world: BenchWorld, database: BenchDatabase, customers: CustomerTopics[], perCustomer: number): Promise<number> {
  const csThread = new Map(customers.map((c) => [c.customer.index, c.topics.find((t) => t.chatId === world.groups.cs.id)!.threadId]))
  for (const { customer } of customers) {
    sim.sendPrivate(customer.user.id, world.bots.client.id, { text: clientText(customer.name, 1, customer.index) })
    if (perCustomer >= 2) sim.sendGroup(world.lead.id, world.groups.cs.id, { text: staffText(customer.name, 2, customer.index) }, { threadId: csThread.get(customer.index) })
  }
  const templates = await waitForTemplates(database, customers, Math.min(2, perCustomer))
  const rows: Row[] = []
  for (const { customer } of customers) {
    const template = templates.get(customer.index)!
    for (let seq = 3; seq <= perCustomer; seq++) {
      const staff = isStaff(seq)
      const source = staff ? template.staff! : template.client
      const messageId = staff ? STAFF_MESSAGE_ID_BASE + customer.index * 100_000 + seq : CLIENT_MESSAGE_ID_BASE + seq
      const text = staff ? staffText(customer.name, seq, customer.index) : clientText(customer.name, seq, customer.index)
      const raw: Row = { ...(JSON.parse(String(source.raw)) as Row), message_id: messageId, text }
      delete raw.entities
      const { id: _id, ...columns } = source
      rows.push({ ...columns, message_id: messageId, text, raw: JSON.stringify(raw), reply_to_row_id: null, edit_count: 0 })
    }
  }
  // In (customer, seq) order: row ids then follow each customer's sequence, which is the replay order.
  const columns = Object.keys(rows[0] ?? {})
  await database.insertMany(
    'messages',
    columns,
    rows.map((r) => columns.map((c) => r[c])),
  )
  return rows.length + customers.length * Math.min(2, perCustomer)
}

/** Waits until the service stored each customer's real messages 1 (client) and 2 (staff); returns those rows. */
async function waitForTemplates(database: BenchDatabase, customers: CustomerTopics[], realPerCustomer: number): Promise<Map<number, { client: Row; staff?: Row }>> {
  const deadline = Date.now() + 120_000
  for (;;) {
    const rows = (await database.query("SELECT * FROM messages WHERE text LIKE '%[b%.1]' OR text LIKE '%[b%.2]'")) as Row[]
    const found = new Map<number, { client?: Row; staff?: Row }>()
    for (const row of rows) {
      const match = /\[b(\d+)\.(\d+)\]/.exec(String(row.text))
      if (!match) continue
      const entry = found.get(Number(match[1])) ?? {}
      if (match[2] === '1' && row.origin === 'client') entry.client = row
      if (match[2] === '2' && row.origin === 'staff') entry.staff = row
      found.set(Number(match[1]), entry)
    }
    const complete = customers.every((c) => found.get(c.customer.index)?.client && (realPerCustomer < 2 || found.get(c.customer.index)?.staff))
    if (complete) return found as Map<number, { client: Row; staff?: Row }>
    if (Date.now() > deadline) throw new Error(`history seeding: the service did not store every customer's first messages within 120 s (${found.size}/${customers.length})`)
    await sleep(500)
  }
}
