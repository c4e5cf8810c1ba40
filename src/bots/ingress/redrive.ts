import type { Bot } from 'grammy'
import type { Database } from '../../db/client.js'
import { unhandledUpdates } from '../../db/repositories/updates.js'
import type { Logger } from '../../logger.js'
import type { BotContext } from '../shared/context.js'

/**
 * Handles a bot's stored updates that were never handled (a crash, or a failed attempt to
 * retry), oldest first; `olderThanMs` leaves alone those in hand right now. Used by polling and
 * webhook ingress alike. A failure is logged with the bot and update ids and the others go on.
 */
export async function redriveUnhandled(bot: Bot<BotContext>, db: Database, botId: number, logger: Logger, olderThanMs: number): Promise<void> {
  let pending
  try {
    pending = await unhandledUpdates(db, botId, olderThanMs)
  } catch (error) {
    logger.warn({ err: error, botId }, 'could not list the updates left unhandled; trying again later')
    return
  }
  for (const update of pending) {
    await bot.handleUpdate(update).catch((error) => logger.error({ err: error, botId, updateId: update.update_id }, 'redriven update failed'))
  }
  if (pending.length) logger.info({ botId, count: pending.length }, 'handled updates left over from before')
}
