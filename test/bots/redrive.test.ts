import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redriveUnhandled } from '../../src/bots/ingress/redrive.js'
import type { BotContext } from '../../src/bots/shared/context.js'
import { storeUpdates } from '../../src/db/repositories/updates.js'
import { projects } from '../../src/db/schema/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

let testDb: TestDatabase
beforeAll(async () => {
  testDb = await createTestDatabase()
})
afterAll(async () => testDb?.close())

describe('redrive of stored updates', () => {
  it('logs a failed update with its bot and update ids, and goes on with the next', async () => {
    const [project] = await testDb.db.insert(projects).values({ key: 'redrive', name: 'Redrive' }).$returningId()
    const botId = 4242
    await storeUpdates(testDb.db, project!.id, botId, [{ update_id: 1 }, { update_id: 2 }])
    const handled: number[] = []
    const bot = {
      handleUpdate: (update: Update) => {
        handled.push(update.update_id)
        return update.update_id === 1 ? Promise.reject(new Error('handler broke')) : Promise.resolve()
      },
    } as unknown as Bot<BotContext>
    const lines: Array<Record<string, unknown>> = []
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) })
    await redriveUnhandled(bot, testDb.db, botId, logger, 0)
    expect(handled).toEqual([1, 2])
    expect(lines.find((l) => l.msg === 'redriven update failed')).toMatchObject({ botId, updateId: 1, err: { message: 'handler broke' } })
  })
})
