import type { Bot } from 'grammy'
import type { Database } from '../../db/client.js'
import { unhandledUpdates } from '../../db/repositories/updates.js'
import type { Logger } from '../../logger.js'
import type { BotContext } from '../shared/context.js'
import { handleInOrder } from './in-order.js'

/**
 * Handles a bot's stored updates that were never handled (a crash, or a failed attempt to
 * retry), oldest first, skipping those a handling has in hand on any instance (its claim's
 * lease runs) and those touched in the last `olderThanMs`; one that has an earlier update of its
 * customer in hand elsewhere waits for the next round, so order holds. Used by polling and
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
  let handled = 0
  for (const update of pending) {
    const done = await handleInOrder({ bot, botId, db, logger }, update, { wait: false }).catch((error) => {
      logger.error({ err: error, botId, updateId: update.update_id }, 'redriven update failed')
      return true
    })
    if (done) handled += 1
  }
  if (handled) logger.info({ botId, count: handled }, 'handled updates left over from before')
}
