import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeDestination } from '../../src/delivery/destination.js'
import type { OutboxJob } from '../../src/delivery/jobs.js'
import type { ClaimedJob } from '../../src/delivery/outbox.js'
import { RateBudget } from '../../src/delivery/rate-budget.js'
import { SendPlanner } from '../../src/delivery/send-planner.js'
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
  lane: 'client_to_staff',
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
})
