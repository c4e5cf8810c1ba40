import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import type { Database } from '../../db/client.js'
import { unhandledUpdatesOfBots } from '../../db/repositories/updates.js'
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
export function redriveUnhandled(bot: Bot<BotContext>, db: Database, botId: number, logger: Logger, olderThanMs: number): Promise<void> {
  return redriveUnhandledOf(new Map([[botId, bot]]), db, logger, olderThanMs)
}

/** The same for several bots in one statement: an instance's periodic look, whose cost stays one statement however many bots it polls. */
export async function redriveUnhandledOf(bots: ReadonlyMap<number, Bot<BotContext>>, db: Database, logger: Logger, olderThanMs: number): Promise<void> {
  let pending
  try {
    pending = await unhandledUpdatesOfBots(db, [...bots.keys()], olderThanMs)
  } catch (error) {
    logger.warn({ err: error, botIds: [...bots.keys()] }, 'could not list the updates left unhandled; trying again later')
    return
  }
  const byBot = new Map<number, Update[]>()
  for (const { botId, update } of pending) byBot.set(botId, [...(byBot.get(botId) ?? []), update])
  for (const [botId, updates] of byBot) {
    const bot = bots.get(botId)
    if (bot) await handlePending(bot, db, botId, logger, updates)
  }
}

async function handlePending(bot: Bot<BotContext>, db: Database, botId: number, logger: Logger, pending: Update[]): Promise<void> {
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
