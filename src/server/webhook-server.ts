import { createHmac } from 'node:crypto'
import type { Server } from 'node:http'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import type { BotContext } from '../bots/shared/context.js'
import { storeUpdates } from '../db/repositories/updates.js'
import { newClaimToken, rememberClaim } from '../bots/ingress/claims.js'
import { handleInOrder } from '../bots/ingress/in-order.js'
import { orderKeyOfUpdate } from '../bots/ingress/order-key.js'
import type { Database } from '../db/client.js'
import type { Logger } from '../logger.js'
import { createRouter, httpServer } from './router.js'
import { webhookSurface, type WebhookEndpoint } from './routes/webhook.js'

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

export interface WebhookServer extends Server {
  /** Resolves once the handlings of the updates it stored have finished (true), or after `timeoutMs` (false). */
  handlingsSettled(timeoutMs: number): Promise<boolean>
}

/**
 * Webhook ingress (the router's webhook surface on its own port): the update is stored (with its
 * order key, claimed for this process's handling) and answered 200 at once, then handled in the
 * background after the earlier updates of its customer, whichever instance got them. A re-post of
 * an update in hand here or on another instance is answered 200 and skipped.
 */
export function createWebhookServer(deps: { db: Database; logger: Logger; secret: string; bots: WebhookBot[]; onStored?: (botId: number, update: Update) => void }): WebhookServer {
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
  const endpoints = new Map(deps.bots.map((target) => [webhookPath(target.botId), endpoint(target)]))
  const router = createRouter([webhookSurface({ logger: deps.logger, endpoints })], {
    logger: deps.logger,
    name: 'webhook',
    notFound: (c) => c.body('not found', 404, { 'content-type': 'text/plain' }),
    failed: (c) => c.body('internal error', 500, { 'content-type': 'text/plain' }),
  })
  const server = httpServer(router) as WebhookServer
  server.handlingsSettled = async (timeoutMs) => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    const settled = await Promise.race([Promise.allSettled([...inFlight]).then(() => true), timeout])
    clearTimeout(timer)
    return settled
  }
  return server
}
