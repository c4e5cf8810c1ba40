import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
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

const MAX_BODY_BYTES = 1024 * 1024

export interface WebhookServer extends Server {
  /** Resolves once the handlings of the updates it stored have finished (true), or after `timeoutMs` (false). */
  handlingsSettled(timeoutMs: number): Promise<boolean>
}

/**
 * Webhook ingress: one endpoint per bot. The secret header is checked on every request (wrong
 * or missing → 401), the update is stored (with its order key, claimed for this process's
 * handling) and answered 200 at once, then handled in the background after the earlier updates
 * of its customer, whichever instance got them. A re-post of an update in hand here or on another
 * instance is answered 200 and skipped. `GET /healthz` answers 200 for load balancers.
 */
export function createWebhookServer(deps: { db: Database; logger: Logger; secret: string; bots: WebhookBot[]; onStored?: (botId: number, update: Update) => void }): WebhookServer {
  const byPath = new Map(deps.bots.map((entry) => [webhookPath(entry.botId), { ...entry, secret: Buffer.from(secretForBot(deps.secret, entry.botId)) }]))
  const inFlight = new Set<Promise<unknown>>()
  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => {
      deps.logger.error({ err: error }, 'webhook request failed')
      if (!response.headersSent) respond(response, 500, 'internal error')
    })
  }) as WebhookServer
  server.handlingsSettled = async (timeoutMs) => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    const settled = await Promise.race([Promise.allSettled([...inFlight]).then(() => true), timeout])
    clearTimeout(timer)
    return settled
  }
  return server

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.url === '/healthz') return respond(response, 200, 'ok')
    const target = request.url ? byPath.get(request.url) : undefined
    if (!target || request.method !== 'POST') return respond(response, 404, 'not found')
    const given = Buffer.from(String(request.headers['x-telegram-bot-api-secret-token'] ?? ''))
    if (given.length !== target.secret.length || !timingSafeEqual(given, target.secret)) {
      deps.logger.warn({ botId: target.botId, remote: request.socket.remoteAddress }, 'webhook request with a wrong or missing secret token refused')
      return respond(response, 401, 'unauthorized')
    }
    const body = await readBody(request)
    let update: Update
    try {
      update = JSON.parse(body.toString('utf8')) as Update
      if (typeof update?.update_id !== 'number') throw new Error('no update_id')
    } catch (error) {
      deps.logger.warn({ botId: target.botId, err: error }, 'malformed webhook body refused')
      return respond(response, 400, 'malformed update')
    }
    // Stored before the answer: a 200 means the update is safe in the database. A new row is
    // claimed in the same insert, so no other instance takes it up while it waits its turn here.
    const claimToken = newClaimToken()
    const inserted = await storeUpdates(deps.db, target.projectId, target.botId, [update], { orderKeyOf: orderKeyOfUpdate, claimToken })
    if (inserted === 1) rememberClaim(update, claimToken)
    respond(response, 200, '')
    deps.onStored?.(target.botId, update)
    const handling = handleInOrder({ bot: target.bot, botId: target.botId, db: deps.db, logger: deps.logger }, update, {
      wait: true,
      claimToken: inserted === 1 ? claimToken : undefined,
    }).catch((error) => deps.logger.error({ err: error, botId: target.botId, updateId: update.update_id }, 'webhook update handling failed'))
    inFlight.add(handling)
    void handling.finally(() => inFlight.delete(handling))
  }
}

function respond(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain' }).end(text)
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('webhook body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
