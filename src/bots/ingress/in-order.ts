import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import type { DbOrTx } from '../../db/client.js'
import { retryTransient } from '../../db/errors.js'
import { earlierUpdateInTheWay, parkUnreadableUpdate, releaseClaim } from '../../db/repositories/updates.js'
import type { Logger } from '../../logger.js'
import type { BotContext } from '../shared/context.js'
import { heldClaimsOf, takeClaim } from './claims.js'
import { orderKeyOfUpdate } from './order-key.js'

export interface InOrderTarget {
  bot: Bot<BotContext>
  botId: number
  db: DbOrTx
  logger: Logger
}

/** Per bot, the last handling of each order key in this process: the next one of the key waits for it. */
const chains = new WeakMap<object, Map<string, Promise<void>>>()
function chainsOf(bot: object): Map<string, Promise<void>> {
  let byKey = chains.get(bot)
  if (!byKey) chains.set(bot, (byKey = new Map<string, Promise<void>>()))
  return byKey
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Hands a stored update to the bot once the updates of its order key stored before it are done
 * with, on any instance sharing the database: this process's by a chain per key, other
 * instances' by reading the updates table until none is in the way. An earlier one nobody has
 * in hand (its instance died, or never claimed it) is handled here first. `wait: false` (the
 * redrive) gives up instead of waiting: false when it did. `claimToken`: the claim the update
 * was stored with, held while it waits and let go if its handling never took it.
 */
export async function handleInOrder(target: InOrderTarget, update: Update, options: { wait: boolean; claimToken?: string }): Promise<boolean> {
  const claims = heldClaimsOf(target.db, (error) => target.logger.warn({ err: error, botId: target.botId }, 'could not renew the claims on updates in hand'))
  if (options.claimToken) claims.hold(options.claimToken)
  try {
    const key = orderKeyOfUpdate(update)
    if (key === undefined) return await handled(target, update)
    const local = chainsOf(target.bot)
    const previous = local.get(key)
    if (previous && !options.wait) return false
    let finished!: () => void
    const mine = new Promise<void>((resolve) => (finished = resolve))
    local.set(key, mine)
    try {
      await previous
      if (!(await earlierOnesDone(target, key, update.update_id, options.wait))) return false
      return await handled(target, update)
    } finally {
      finished()
      if (local.get(key) === mine) local.delete(key)
    }
  } finally {
    if (options.claimToken) {
      claims.let(options.claimToken)
      // Its handling never took the claim (it did not get that far): let another instance have it.
      if (takeClaim(update) !== undefined)
        await releaseClaim(target.db, { botId: target.botId, updateId: update.update_id }, options.claimToken).catch((error) =>
          target.logger.warn({ err: error, botId: target.botId, updateId: update.update_id }, 'could not release the claim on an update'),
        )
    }
  }
}

async function handled(target: InOrderTarget, update: Update): Promise<true> {
  await target.bot.handleUpdate(update)
  return true
}

/**
 * Waits until no earlier update of the key is in the way, handling here those nobody has in hand.
 * False when one is in hand elsewhere and `wait` is off.
 */
async function earlierOnesDone(target: InOrderTarget, key: string, updateId: number, wait: boolean): Promise<boolean> {
  const { db, botId, logger } = target
  const takenUp = new Set<number>()
  for (let pause = 20; ;) {
    const earlier = await retryTransient(() => earlierUpdateInTheWay(db, botId, key, updateId))
    if (!earlier) return true
    if (earlier.inHand) {
      if (!wait) return false
      await sleep(pause)
      pause = Math.min(pause * 2, 250)
      continue
    }
    // Taken up once already and still nobody's: something kept it from its handling; do not spin on it.
    if (takenUp.has(earlier.updateId)) return true
    takenUp.add(earlier.updateId)
    let payload: Update
    try {
      payload = JSON.parse(earlier.payload) as Update
    } catch (error) {
      await parkUnreadableUpdate(db, { botId, updateId: earlier.updateId }, error as Error)
      continue
    }
    logger.info({ botId, updateId: earlier.updateId, before: updateId }, 'handling an earlier update of the same customer that nobody had in hand')
    await target.bot.handleUpdate(payload).catch((error) => logger.error({ err: error, botId, updateId: earlier.updateId }, 'earlier update failed'))
  }
}
