import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customers, messages, outbox, projects, relayLinks, updates } from '../../src/db/schema/index.js'
import { pruneDeliveryHistory } from '../../src/delivery/retention.js'
import { retentionJob } from '../../src/cron/retention.js'
import { CronScheduler } from '../../src/cron/scheduler.js'
import { createLogger } from '../../src/logger.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

const day = 24 * 60 * 60 * 1000
const daysAgo = (n: number) => new Date(Date.now() - n * day)

describe('retention', () => {
  let testDb: TestDatabase
  let projectId: number
  const outboxIds: Record<string, number> = {}

  beforeAll(async () => {
    testDb = await createTestDatabase()
    const { db } = testDb
    const [project] = await db.insert(projects).values({ key: 'acme', name: 'Acme' }).$returningId()
    projectId = project!.id
    const update = (updateId: number, state: 'received' | 'handled' | 'failed', age: number) => ({
      botId: 1,
      updateId,
      projectId,
      payload: `{"update_id":${updateId}}`,
      state,
      createdAt: daysAgo(age),
      updatedAt: daysAgo(age),
    })
    await db
      .insert(updates)
      .values([...Array.from({ length: 5 }, (_, i) => update(100 + i, 'handled', 31 + i)), update(200, 'handled', 29), update(300, 'failed', 60), update(400, 'received', 60)])
    const row = async (name: string, state: 'pending' | 'sent' | 'dead', age: number, dependsOn?: number) => {
      const [inserted] = await db
        .insert(outbox)
        .values({
          projectId,
          class: 'live',
          destination: '-100:1',
          botId: 1,
          job: '{"type":"text"}',
          state,
          result: state === 'sent' ? '{"message_id":1}' : null,
          dependsOn,
          createdAt: daysAgo(age),
          updatedAt: daysAgo(age),
        })
        .$returningId()
      outboxIds[name] = inserted!.id
    }
    for (let i = 0; i < 5; i++) await row(`oldSent${i}`, 'sent', 40 + i)
    await row('recentSent', 'sent', 10)
    await row('oldDead', 'dead', 90)
    await row('oldPending', 'pending', 90)
    // A sent parent whose child still waits for it must stay: the child is claimed only once its parent is found sent.
    await row('parentOfPending', 'sent', 90)
    await row('waitingChild', 'pending', 90, outboxIds.parentOfPending)

    const [customer] = await db
      .insert(customers)
      .values({ projectId, clientBotId: 1, telegramUserId: 5, firstName: 'Zoe', createdAt: daysAgo(400) })
      .$returningId()
    const [message] = await db
      .insert(messages)
      .values({
        projectId,
        customerId: customer!.id,
        origin: 'client',
        botId: 1,
        chatId: 5,
        messageId: 1,
        senderUserId: 5,
        kind: 'text',
        text: 'old',
        raw: '{}',
        createdAt: daysAgo(400),
      })
      .$returningId()
    await db.insert(relayLinks).values({ projectId, messageId: message!.id, chatId: -100, threadId: 1, copyMessageId: 7, botId: 2, createdAt: daysAgo(400) })
  })
  afterAll(async () => {
    await testDb?.close()
  })

  it('prunes handled updates and sent outbox rows older than the retention, in bounded batches, and keeps the rest', async () => {
    const pruned = await pruneDeliveryHistory(testDb.db, { olderThanDays: 30, batchSize: 2 })
    expect(pruned).toEqual({ updates: 5, outbox: 5 })

    const { db } = testDb
    expect((await db.select({ id: updates.updateId }).from(updates)).map((r) => r.id).sort()).toEqual([200, 300, 400])
    const left = new Set((await db.select({ id: outbox.id }).from(outbox)).map((r) => r.id))
    expect(
      Object.keys(outboxIds)
        .filter((name) => left.has(outboxIds[name]!))
        .sort(),
    ).toEqual(['oldDead', 'oldPending', 'parentOfPending', 'recentSent', 'waitingChild'])
    expect(await db.select({ text: messages.text }).from(messages)).toEqual([{ text: 'old' }])
    expect(await db.select({ copy: relayLinks.copyMessageId }).from(relayLinks)).toEqual([{ copy: 7 }])
  })

  it('runs as a cron job on the leading instance, with the configured number of days', async () => {
    const { db } = testDb
    await db.insert(updates).values({ botId: 1, updateId: 500, projectId, payload: '{}', state: 'handled', createdAt: daysAgo(8), updatedAt: daysAgo(8) })
    const logger = createLogger('silent')
    const scheduler = new CronScheduler({ held: true }, logger)
    await scheduler.runOnce(retentionJob(db, logger, { schedule: '30 3 * * *', days: 7 }))
    expect((await db.select({ id: updates.updateId }).from(updates)).map((r) => r.id).sort()).toEqual([300, 400])
  })
})
