import { createHmac } from 'node:crypto'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import type { BotContext } from '../bots/shared/context.js'
import { storeUpdates } from '../db/repositories/updates.js'
import { newClaimToken, rememberClaim } from '../bots/ingress/claims.js'
import { handleInOrder } from '../bots/ingress/in-order.js'
import { orderKeyOfUpdate } from '../bots/ingress/order-key.js'
import type { Database } from '../db/client.js'
import type { Logger } from '../logger.js'

export interface WebhookBot {
  bot: Bot<BotContext>
  botId: number
  projectId: number
}

/** Each bot gets its own secret token, derived from the configured secret (1–256 of A-Z a-z 0-9 _ -). */
export function secretForBot(secret: string, botId: number): string {
  return createHmac('sha256', secret).update(String(botId)).digest('base64url')
}

export function webhookPath(botId: number): string {
  return `/telegram/${botId}`
}

/** A bot's endpoint: its expected secret header, and what to do with an update that passed it. */
export interface WebhookEndpoint {
  botId: number
  secret: Buffer
  /** Stores the update (once this resolves, it is safe in the database), then hands it on in the background. */
  receive(update: Update): Promise<void>
}

/** What the webhook HTTP surface serves: an endpoint per webhook path, and the handlings it started. */
export interface WebhookIngress {
  endpoints: Map<string, WebhookEndpoint>
  /** Resolves once the handlings of the updates it stored have finished (true), or after `timeoutMs` (false). */
  handlingsSettled(timeoutMs: number): Promise<boolean>
}

/**
 * Webhook ingress, one endpoint per bot (served by the router's webhook surface, which checks the
 * secret first): the update is stored (with its order key, claimed for this process's handling)
 * before the 200, then handled in the background after the earlier updates of its customer,
 * whichever instance got them. A re-post of an update in hand here or on another instance is
 * answered 200 and skipped.
 */
export function createWebhookIngress(deps: {
  db: Database
  logger: Logger
  secret: string
  bots: WebhookBot[]
  onStored?: (botId: number, update: Update) => void
}): WebhookIngress {
  const inFlight = new Set<Promise<unknown>>()
  const endpoint = (target: WebhookBot): WebhookEndpoint => ({
    botId: target.botId,
    secret: Buffer.from(secretForBot(deps.secret, target.botId)),
    async receive(update) {
      // Stored before the answer: a 200 means the update is safe in the database. A new row is
      // claimed in the same insert, so no other instance takes it up while it waits its turn here.
      const claimToken = newClaimToken()
      const inserted = await storeUpdates(deps.db, target.projectId, target.botId, [update], { orderKeyOf: orderKeyOfUpdate, claimToken })
      if (inserted === 1) rememberClaim(update, claimToken)
      deps.onStored?.(target.botId, update)
      const handling = handleInOrder({ bot: target.bot, botId: target.botId, db: deps.db, logger: deps.logger }, update, {
        wait: true,
        claimToken: inserted === 1 ? claimToken : undefined,
      }).catch((error) => deps.logger.error({ err: error, botId: target.botId, updateId: update.update_id }, 'webhook update handling failed'))
      inFlight.add(handling)
      void handling.finally(() => inFlight.delete(handling))
    },
  })
  return {
    endpoints: new Map(deps.bots.map((target) => [webhookPath(target.botId), endpoint(target)])),
    async handlingsSettled(timeoutMs) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
      const settled = await Promise.race([Promise.allSettled([...inFlight]).then(() => true), timeout])
      clearTimeout(timer)
      return settled
    },
  }
}
