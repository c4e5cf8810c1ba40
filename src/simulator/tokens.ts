import { ApiError } from './api-error.js'
import type { BotState, World } from './world.js'

/**
 * The Bot API's answer to a token it does not know (revoked, mistyped): 401 "Unauthorized"
 * (core.telegram.org/bots/api "Making requests"; shared/telegram-facts.md "fatal").
 */
export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized')

let reissued = 0

function botOf(world: World, botId: number): BotState {
  const bot = world.bots.get(botId)
  if (!bot) throw new Error(`simulator: no bot ${botId}`)
  return bot
}

/**
 * BotFather's /revoke: the current token stops working at once and the bot gets a new one with
 * the same id prefix (core.telegram.org/bots/features#botfather: "revoke … generate a new
 * token"). A getUpdates still waiting on the old token ends with 401 too (medium confidence:
 * Telegram closes the revoked token's sessions; what a client sees matches an invalid token).
 * Returns the new token.
 */
export function revokeToken(world: World, botId: number): string {
  const bot = botOf(world, botId)
  const fresh = `${bot.id}:reissued-${++reissued}`
  setToken(world, botId, fresh)
  return fresh
}

/**
 * Gives the bot this token (a test's "new token from BotFather", or the old one restored); the
 * token it had stops working, and its waiting long poll ends with 401.
 */
export function setToken(world: World, botId: number, token: string): void {
  const bot = botOf(world, botId)
  const holder = world.botsByToken.get(token)
  if (holder && holder !== bot) throw new Error(`simulator: token ${token} belongs to bot ${holder.id}`)
  if (!token.startsWith(`${bot.id}:`)) throw new Error(`simulator: a token of bot ${bot.id} starts with "${bot.id}:"`)
  if (bot.token === token) return
  world.botsByToken.delete(bot.token)
  bot.token = token
  world.botsByToken.set(token, bot)
  bot.queue.cancelPoll(unauthorized())
}
