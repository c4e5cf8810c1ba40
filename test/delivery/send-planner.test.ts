import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeDestination } from '../../src/delivery/destination.js'
import type { OutboxJob } from '../../src/delivery/jobs.js'
import type { ClaimedJob } from '../../src/delivery/outbox.js'
import { RateBudget } from '../../src/delivery/rate-budget.js'
import { SendPlanner } from '../../src/delivery/send-planner.js'
import { rateWindows } from '../../src/db/schema/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => database?.close())

const group = -100_200
let nextId = 1
const job = (payload: OutboxJob, destination = encodeDestination({ kind: 'chat', chatId: group })): ClaimedJob => ({
  id: nextId++,
  token: 'planner-test',
  projectId: 1,
  class: 'live',
  destination,
  botId: 4242,
  job: payload,
  attempts: 1,
})

describe('send planner priorities', () => {
  it('lets relayed client messages go first: while one waits for the group budget, notices and card edits yield', async () => {
    const planner = new SendPlanner(database.db, new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 }), () => [4242])
    for (let i = 0; i < 3; i++) expect((await planner.plan(job({ type: 'relay', linkId: i }))).delayMs).toBe(0)
    // One slot of four is left: an album of two waits for the window…
    expect((await planner.plan(job({ type: 'relay_album', firstLinkId: 9, mediaGroupId: 'a' }), 2)).delayMs).toBeGreaterThan(0)
    // …and a card edit or a notice does not take the slot the waiting album needs.
    expect((await planner.plan(job({ type: 'edit_text', chatId: group, messageId: 5, text: 'card' }))).delayMs).toBeGreaterThan(0)
    expect((await planner.plan(job({ type: 'text', target: { kind: 'chat', chatId: group }, text: 'notice' }))).delayMs).toBeGreaterThan(0)
    // A relayed message still may.
    expect((await planner.plan(job({ type: 'relay', linkId: 10 }))).delayMs).toBe(0)
  })

  it("leaves live sends a quarter of every window a bulk row uses: the bot's per second and the private chat's", async () => {
    const planner = new SendPlanner(database.db, new RateBudget({ privatePerSecond: 1, privateBurst: 4, groupPerMinute: 20, globalPerSecond: 8 }), () => [4646])
    const to = (chatId: number, priorityClass: ClaimedJob['class']): ClaimedJob => ({
      ...job(
        { type: 'text', target: { kind: 'chat', chatId }, text: 'news' },
        encodeDestination({ kind: 'private_chat', userId: chatId, botId: 4646, bulk: priorityClass === 'bulk' }),
      ),
      botId: 4646,
      class: priorityClass,
    })
    // One client's chat: bulk takes 3 of its 4 slots, a live reply the last.
    for (let i = 0; i < 3; i++) expect((await planner.plan(to(501, 'bulk'))).delayMs).toBe(0)
    expect((await planner.plan(to(501, 'bulk'))).delayMs).toBeGreaterThan(0)
    expect((await planner.plan(to(501, 'live'))).delayMs).toBe(0)
    // The bot's 8 a second (4 taken above): bulk to other clients takes it to 6, the others the last 2.
    for (const chatId of [502, 503]) expect((await planner.plan(to(chatId, 'bulk'))).delayMs).toBe(0)
    expect((await planner.plan(to(504, 'bulk'))).delayMs).toBeGreaterThan(0)
    expect((await planner.plan(to(505, 'live'))).delayMs).toBe(0)
    expect((await planner.plan(to(506, 'prompt'))).delayMs).toBe(0)
    expect((await planner.plan(to(507, 'live'))).delayMs).toBeGreaterThan(0)
  })

  it("counts a move's replay notices as conversation: a new topic's opening does not yield to the other replays", async () => {
    const planner = new SendPlanner(database.db, new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 }), () => [4545])
    const into = (payload: OutboxJob, priorityClass: ClaimedJob['class']): ClaimedJob => ({
      ...job(payload, encodeDestination({ kind: 'chat', chatId: -100_400 })),
      botId: 4545,
      class: priorityClass,
    })
    for (let i = 0; i < 3; i++) expect((await planner.plan(into({ type: 'relay', linkId: i }, 'replay'))).delayMs).toBe(0)
    // A replayed album waits for the window; a live notice yields the last slot to it…
    expect((await planner.plan(into({ type: 'relay_album', firstLinkId: 9, mediaGroupId: 'b' }, 'replay'), 2)).delayMs).toBeGreaterThan(0)
    expect((await planner.plan(into({ type: 'text', target: { kind: 'chat', chatId: -100_400 }, text: 'live notice' }, 'live'))).delayMs).toBeGreaterThan(0)
    // …but the "Moved here" notice opening another topic's replay is that replay's first message.
    expect((await planner.plan(into({ type: 'text', target: { kind: 'chat', chatId: -100_400 }, text: '🔀 Moved here' }, 'replay'))).delayMs).toBe(0)
  })
})

describe('send planner waiting relays', () => {
  it('puts relays that wait for a full group back one per freed slot, not all at the first', async () => {
    // A window of four, full with sends 50, 40, 30 and 20 s ago (every process's view, as stored):
    // its slots come free in 10, 20, 30 and 40 s.
    const bot = 4343
    const chat = -100_300
    const now = Date.now()
    await database.db.insert(rateWindows).values({ botId: bot, windows: JSON.stringify({ [chat]: [50, 40, 30, 20].map((ago) => [now - ago * 1000]) }) })
    const planner = new SendPlanner(database.db, new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 }), () => [bot])
    const relay = (linkId: number): ClaimedJob => ({ ...job({ type: 'relay', linkId }, encodeDestination({ kind: 'chat', chatId: chat })), botId: bot })
    const waiting = [relay(1), relay(2), relay(3)]
    const delays: number[] = []
    for (const claimed of waiting) delays.push((await planner.plan(claimed)).delayMs)
    const seconds = delays.map((ms) => Math.round(ms / 1000))
    expect(seconds).toEqual([10, 20, 30])
    // The first, planned again before its slot, keeps its place (its own promise is not ahead of it).
    expect(Math.round((await planner.plan(waiting[0]!)).delayMs / 1000)).toBe(10)
  })

  it('promises the slot a send still in flight frees a minute after it was planned, not a minute after its reservation hold', async () => {
    // A window of four with sends 50, 40 and 30 s ago and one slot free. One batch plans five relays:
    // the first takes the free slot (its call in flight: reserved as arriving 15 s from now until it
    // answers), three wait for the slots freed in 10, 20 and 30 s, and the fifth for the slot the
    // first's send frees, a minute from now. Promised 75 s away, that slot stayed unused 15 s a
    // minute: a saturated group got 16 of its 20.
    const bot = 4747
    const chat = -100_500
    const now = Date.now()
    await database.db.insert(rateWindows).values({ botId: bot, windows: JSON.stringify({ [chat]: [50, 40, 30].map((ago) => [now - ago * 1000]) }) })
    const planner = new SendPlanner(database.db, new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 }), () => [bot])
    const relay = (linkId: number): ClaimedJob => ({ ...job({ type: 'relay', linkId }, encodeDestination({ kind: 'chat', chatId: chat })), botId: bot })
    const plans = await Promise.all([1, 2, 3, 4, 5].map((linkId) => planner.plan(relay(linkId))))
    expect(plans.map((plan) => Math.round(plan.delayMs / 1000))).toEqual([0, 10, 20, 30, 60])
  })
})

describe('send planner in-flight sends', () => {
  it("plans again soon, not a whole hold later, when only this process's sends still in flight fill a bot's window", async () => {
    // 30 sends planned at once (two classes' batches of the CS bot) fill its 30/s window with
    // reservations counted as arriving 15 s from now until their calls answer. The 31st send must
    // not be put off for 16 s: those calls answer within milliseconds; it is planned again shortly.
    const bot = 4444
    const planner = new SendPlanner(database.db, new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 1200, globalPerSecond: 30 }), () => [bot])
    const notice = (i: number): ClaimedJob => ({ ...job({ type: 'text', target: { kind: 'chat', chatId: group }, text: `answer ${i}` }), botId: bot })
    const plans = await Promise.all(Array.from({ length: 31 }, (_, i) => planner.plan(notice(i))))
    const waits = plans.map((plan) => plan.delayMs).filter((ms) => ms > 0)
    expect(waits).toHaveLength(1)
    expect(waits[0]).toBeLessThanOrEqual(500)
    // Once the calls answered, the window counts them when they arrived: the 31st waits for the second to pass, no more.
    for (const plan of plans) planner.confirm(plan)
    const again = await planner.plan(notice(31))
    expect(again.delayMs).toBeGreaterThan(0)
    expect(again.delayMs).toBeLessThanOrEqual(1200)
  })
})
