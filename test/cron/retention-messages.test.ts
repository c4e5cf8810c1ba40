import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expireStoredMessages } from '../../src/cron/retention-messages.js'
import { customers, messages, outbox, projects, relayLinks } from '../../src/db/schema/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 60 * 60 * 1000)

describe('expireStoredMessages', () => {
  let testDb: TestDatabase
  afterAll(async () => testDb?.close())
  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 1 })
  })

  it('keeps old messages an unfinished outbox job still needs (by link or row id) or whose copy is not delivered, in batches', async () => {
    const { db } = testDb
    const [project] = await db.insert(projects).values({ key: 'acme', name: 'Acme' }).$returningId()
    const projectId = project!.id
    const [customer] = await db.insert(customers).values({ projectId, clientBotId: 1, telegramUserId: 5, firstName: 'Zoe' }).$returningId()
    const message = async (text: string, copyMessageId: number | null) => {
      const [row] = await db
        .insert(messages)
        .values({
          projectId,
          customerId: customer!.id,
          origin: 'client',
          botId: 1,
          chatId: 5,
          messageId: Math.floor(Math.random() * 1e9),
          senderUserId: 5,
          kind: 'text',
          text,
          raw: '{}',
          createdAt: daysAgo(100),
        })
        .$returningId()
      const [link] = await db.insert(relayLinks).values({ projectId, messageId: row!.id, chatId: -100, threadId: 1, copyMessageId, botId: 2 }).$returningId()
      return { id: row!.id, linkId: link!.id }
    }
    const job = (payload: object, state: 'pending' | 'dead' | 'sent') =>
      db.insert(outbox).values({ projectId, class: 'live', destination: 'x', botId: 2, job: JSON.stringify(payload), state })
    for (let i = 0; i < 5; i++) await message(`expired ${i}`, 10 + i)
    const edited = await message('an edit waits', 20)
    await job({ type: 'edit_copy', linkId: edited.linkId }, 'pending')
    const repliedTo = await message('a dead reply names it', 21)
    await job({ type: 'text', text: 'x', replyTo: { originalMessageRowId: repliedTo.id } }, 'dead')
    const sentJob = await message('its job was sent', 22)
    await job({ type: 'edit_copy', linkId: sentJob.linkId }, 'sent')
    await message('copy not delivered', null)

    const expired = await expireStoredMessages(db, { olderThanDays: 30, batchSize: 2 })
    expect(expired).toEqual({ messages: 6, relayLinks: 6 })
    expect((await db.select({ text: messages.text }).from(messages)).map((m) => m.text)).toEqual(['an edit waits', 'a dead reply names it', 'copy not delivered'])
  })
})
