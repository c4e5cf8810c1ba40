import { sql } from 'drizzle-orm'
import { Bot, GrammyError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { storeUpdates } from '../../src/db/repositories/updates.js'
import { capturedLogger } from '../support/captured-log.js'
import { useHarness } from '../support/suite.js'

const log = capturedLogger('info')
const h = useHarness({ logger: log.logger })

/** Makes every insert into `updates` whose payload holds `marker` fail, as a broken database would. */
async function poisonUpdates(marker: string): Promise<() => Promise<void>> {
  await h.database.db.execute(
    sql.raw(`CREATE TRIGGER poisoned_updates BEFORE INSERT ON updates FOR EACH ROW
      IF NEW.payload LIKE '%${marker}%' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poisoned for the test'; END IF`),
  )
  return async () => void (await h.database.db.execute(sql.raw('DROP TRIGGER IF EXISTS poisoned_updates')))
}

describe('the log carries ids and kinds, never message content', () => {
  it('"could not store updates" names the bot and the failure, not the update (no text, no name)', async () => {
    const { sim, world } = h
    const text = 'poison: my order 4711 never arrived'
    const heal = await poisonUpdates('poison')
    try {
      sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text })
      await sim.waitFor(() => log.lines().find((line) => line.msg === 'could not store updates; retrying'))
    } finally {
      await heal()
    }
    const line = log.lines().find((l) => l.msg === 'could not store updates; retrying')!
    expect(line.botId).toBe(world.bots.client.id)
    const written = JSON.stringify(line)
    expect(written).toContain('poisoned for the test')
    const output = log.output()
    for (const content of ['my order 4711', 'Quinn', 'zoeq']) expect(output).not.toContain(content)
  })

  it('a failing insert logs its query without parameters and SQL, unless the level is debug', async () => {
    const heal = await poisonUpdates('secret')
    const update = {
      update_id: 1,
      message: {
        message_id: 5,
        date: 0,
        chat: { id: 77, type: 'private' as const, first_name: 'Zoe' },
        from: { id: 77, is_bot: false, first_name: 'Zoe' },
        text: 'my secret text',
      },
    }
    const error = await storeUpdates(h.database.db, h.projectId, h.world.bots.client.id, [update]).catch((e: unknown) => e)
    await heal()
    expect(String((error as Error).message)).toContain('my secret text')
    const info = capturedLogger('info')
    info.logger.warn({ err: error, botId: 1 }, 'could not store updates; retrying')
    info.logger.error(error as Error)
    info.logger.error({ err: error, update }, 'update handling failed')
    expect(info.output()).not.toContain('my secret text')
    expect(info.output()).toContain('insert ignore into `updates`')
    expect(info.lines()[2]!.update).toEqual({ update_id: 1, kind: 'message', chatId: 77, messageId: 5, fromId: 77 })
    // A Bot API refusal keeps the ids of its request, not its text.
    const bot = new Bot(h.config.projects[0]!.bots.client, { client: { apiRoot: h.config.telegram.apiRoot } })
    const refused = await bot.api.sendMessage(999_999_999, 'my secret text').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(GrammyError)
    info.logger.error({ err: refused }, 'permanent failure')
    expect(info.output()).not.toContain('my secret text')
    expect(info.lines()[3]!.err).toMatchObject({ method: 'sendMessage', payload: { chat_id: 999_999_999, fields: ['text'] } })
    // Set deliberately, debug shows what failed.
    const debug = capturedLogger('debug')
    debug.logger.warn({ err: error }, 'could not store updates; retrying')
    expect(debug.output()).toContain('my secret text')
  })
})
