import { and, eq, sql } from 'drizzle-orm'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HeldClaims } from '../../src/bots/ingress/claims.js'
import { handleInOrder } from '../../src/bots/ingress/in-order.js'
import { orderKeyOfUpdate } from '../../src/bots/ingress/order-key.js'
import { redriveUnhandled } from '../../src/bots/ingress/redrive.js'
import type { BotContext } from '../../src/bots/shared/context.js'
import { claimUpdate, markUpdatesHandled, storeUpdates } from '../../src/db/repositories/updates.js'
import { projects, updates } from '../../src/db/schema/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { pollUntil } from '../support/poll.js'

let testDb: TestDatabase
let projectId: number
beforeAll(async () => {
  testDb = await createTestDatabase()
  const [project] = await testDb.db.insert(projects).values({ key: 'claims', name: 'Claims' }).$returningId()
  projectId = project!.id
})
afterAll(async () => testDb?.close())

const logger = pino({ level: 'silent' })
const chatMessage = (updateId: number, chatId: number): Update =>
  ({ update_id: updateId, message: { message_id: updateId, date: 0, chat: { id: chatId, type: 'private', first_name: 'C' }, text: `m${updateId}` } }) as Update

/** A bot that records what it was handed and marks it handled, as the real handling does. */
function recordingBot(botId: number, handled: number[]): Bot<BotContext> {
  return {
    handleUpdate: async (update: Update) => {
      handled.push(update.update_id)
      await markUpdatesHandled(testDb.db, botId, [update.update_id])
    },
  } as unknown as Bot<BotContext>
}

describe('claims on stored updates across instances', () => {
  it('redrives no update another instance has in hand, nor a later one of its customer, until its lease runs out', async () => {
    const botId = 5001
    await storeUpdates(testDb.db, projectId, botId, [chatMessage(1, 77), chatMessage(2, 77), chatMessage(3, 88)], { orderKeyOf: orderKeyOfUpdate })
    // Another instance is handling update 1 (a slow handling: its claim is renewed).
    expect(await claimUpdate(testDb.db, { botId, updateId: 1 }, 'other-instance')).toBe(true)
    const handled: number[] = []
    await redriveUnhandled(recordingBot(botId, handled), testDb.db, botId, logger, 0)
    expect(handled).toEqual([3])
    // That instance died: its lease runs out, and the redrive takes both up, in order.
    await testDb.db
      .update(updates)
      .set({ claimedUntil: sql`CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND` })
      .where(and(eq(updates.botId, botId), eq(updates.updateId, 1)))
    await redriveUnhandled(recordingBot(botId, handled), testDb.db, botId, logger, 0)
    expect(handled).toEqual([3, 1, 2])
  })

  it('handles an earlier update of the customer that nobody has in hand before the one that arrived', async () => {
    const botId = 5002
    // Update 10 was stored by an instance that died before claiming it; 11 arrives here.
    await storeUpdates(testDb.db, projectId, botId, [chatMessage(10, 77)], { orderKeyOf: orderKeyOfUpdate })
    await storeUpdates(testDb.db, projectId, botId, [chatMessage(11, 77)], { orderKeyOf: orderKeyOfUpdate, claimToken: 'this-one' })
    const handled: number[] = []
    expect(await handleInOrder({ bot: recordingBot(botId, handled), botId, db: testDb.db, logger }, chatMessage(11, 77), { wait: true })).toBe(true)
    expect(handled).toEqual([10, 11])
  })

  it('waits for an earlier update of the customer in hand on another instance', async () => {
    const botId = 5003
    await storeUpdates(testDb.db, projectId, botId, [chatMessage(20, 77)], { orderKeyOf: orderKeyOfUpdate, claimToken: 'other-instance' })
    await storeUpdates(testDb.db, projectId, botId, [chatMessage(21, 77)], { orderKeyOf: orderKeyOfUpdate, claimToken: 'this-one' })
    const handled: number[] = []
    const waiting = handleInOrder({ bot: recordingBot(botId, handled), botId, db: testDb.db, logger }, chatMessage(21, 77), { wait: true })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(handled).toEqual([])
    await markUpdatesHandled(testDb.db, botId, [20])
    await waiting
    expect(handled).toEqual([21])
  })

  it('renews the lease of a claim while its handling holds it, and no longer once it lets it go', async () => {
    const botId = 5004
    await storeUpdates(testDb.db, projectId, botId, [chatMessage(30, 77)], { orderKeyOf: orderKeyOfUpdate, claimToken: 'slow-handling' })
    const row = and(eq(updates.botId, botId), eq(updates.updateId, 30))
    const leaseLeft = async () => {
      const [found] = await testDb.db
        .select({ ms: sql<number>`TIMESTAMPDIFF(MICROSECOND, CURRENT_TIMESTAMP(3), ${updates.claimedUntil}) / 1000` })
        .from(updates)
        .where(row)
      return Number(found!.ms)
    }
    // The lease is about to run out; the holder renews it to a full lease.
    await testDb.db
      .update(updates)
      .set({ claimedUntil: sql`CURRENT_TIMESTAMP(3) + INTERVAL 1 SECOND` })
      .where(row)
    const claims = new HeldClaims(testDb.db, (error) => expect.fail(String(error)), 50)
    claims.hold('slow-handling')
    await pollUntil(async () => (await leaseLeft()) > 20_000, { message: 'the lease was renewed' })
    claims.let('slow-handling')
    await testDb.db
      .update(updates)
      .set({ claimedUntil: sql`CURRENT_TIMESTAMP(3) + INTERVAL 1 SECOND` })
      .where(row)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await leaseLeft()).toBeLessThan(1000)
  })
})
