import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messages, projects } from '../../src/db/schema/index.js'
import { storeMessage, type IncomingMessage } from '../../src/domain/relay/store-message.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/**
 * storeMessage is a plain INSERT with the duplicate caught (INSERT IGNORE locked the gap it went
 * into until the commit): a message stored before is still stored once and reported as such,
 * and the transaction goes on after the refused insert.
 */
describe('storeMessage', () => {
  let database: TestDatabase
  let incoming: IncomingMessage

  beforeAll(async () => {
    database = await createTestDatabase()
    const [inserted] = await database.db.insert(projects).values({ key: 'acme', name: 'Acme' })
    const message = { message_id: 7, date: 1, chat: { id: 5001 }, from: { id: 5001 }, text: 'hello', kind: 'text', raw: { message_id: 7 } }
    incoming = { projectId: Number(inserted.insertId), customerId: 1, origin: 'client', botId: 11, projectBotIds: [11], message }
  })
  afterAll(async () => database?.close())

  it('stores a message once: the same message again is a duplicate, and the transaction goes on', async () => {
    const outcome = await database.db.transaction(async (tx) => {
      const first = await storeMessage(tx, incoming)
      const again = await storeMessage(tx, incoming)
      // After the refused insert, the transaction still writes and commits.
      const other = await storeMessage(tx, { ...incoming, message: { ...incoming.message, message_id: 8 } })
      return { first, again, other }
    })
    expect(outcome.first?.id).toBeGreaterThan(0)
    expect(outcome.again).toBeUndefined()
    expect(outcome.other?.id).toBeGreaterThan(outcome.first!.id)
    const stored = await database.db.select({ id: messages.id, messageId: messages.messageId }).from(messages).where(eq(messages.chatId, 5001))
    expect(stored.map((row) => row.messageId).sort()).toEqual([7, 8])
  })
})
