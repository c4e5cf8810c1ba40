/**
 * The webhook surface: one endpoint per bot, `POST /telegram/<bot id>`, authenticated by the
 * bot's secret header (wrong or missing → 401, checked before the body is read), bodies of at
 * most 1 MB; `GET /healthz` for load balancers. Answers are plain text.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Server } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Update } from 'grammy/types'
import type { Logger } from '../../logger.js'
import { createRouter, httpServer, type Surface } from '../router.js'
import type { WebhookEndpoint, WebhookIngress } from '../webhook-server.js'

const MAX_BODY_BYTES = 1024 * 1024

export function webhookSurface(deps: { logger: Logger; endpoints: Map<string, WebhookEndpoint> }): Surface {
  const routes = new Hono<{ Variables: { endpoint: WebhookEndpoint } }>()
  routes.get('/healthz', (c) => c.body('ok', 200, { 'content-type': 'text/plain' }))
  routes.post(
    '/telegram/:botId',
    async (c, next) => {
      const endpoint = deps.endpoints.get(c.req.path)
      if (!endpoint) return c.body('not found', 404, { 'content-type': 'text/plain' })
      const given = Buffer.from(c.req.header('x-telegram-bot-api-secret-token') ?? '')
      if (given.length !== endpoint.secret.length || !timingSafeEqual(given, endpoint.secret)) {
        deps.logger.warn({ botId: endpoint.botId, remote: getConnInfo(c).remote.address }, 'webhook request with a wrong or missing secret token refused')
        return c.body('unauthorized', 401, { 'content-type': 'text/plain' })
      }
      c.set('endpoint', endpoint)
      await next()
    },
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.body('payload too large', 413, { 'content-type': 'text/plain' }) }),
    async (c) => {
      const endpoint = c.get('endpoint')
      let update: Update
      try {
        update = JSON.parse(await c.req.text()) as Update
        if (typeof update?.update_id !== 'number') throw new Error('no update_id')
      } catch (error) {
        deps.logger.warn({ botId: endpoint.botId, err: error }, 'malformed webhook body refused')
        return c.body('malformed update', 400, { 'content-type': 'text/plain' })
      }
      await endpoint.receive(update)
      return c.body('', 200, { 'content-type': 'text/plain' })
    },
  )
  return { name: 'webhook', routes: routes as unknown as Hono }
}

/** The webhook port's server: the webhook surface alone, answering in plain text. */
export function createWebhookServer(ingress: WebhookIngress, logger: Logger): Server {
  const router = createRouter([webhookSurface({ logger, endpoints: ingress.endpoints })], {
    logger,
    name: 'webhook',
    notFound: (c) => c.body('not found', 404, { 'content-type': 'text/plain' }),
    failed: (c) => c.body('internal error', 500, { 'content-type': 'text/plain' }),
  })
  return httpServer(router)
}
