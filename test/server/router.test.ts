import type { Server } from 'node:http'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'
import { createPublicServer } from '../../src/server/admin-server.js'
import { rateLimit } from '../../src/server/rate-limit.js'
import { createRouter, listen } from '../../src/server/router.js'
import { createWebhookServer } from '../../src/server/routes/webhook.js'
import { createWebhookIngress, secretForBot, webhookPath } from '../../src/server/webhook-server.js'
import { startHarness, type Harness } from '../support/harness.js'

const logger = createLogger('silent')
const servers: Server[] = []
let h: Harness | undefined
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
  await h?.stop()
  h = undefined
})

async function started(server: Server): Promise<string> {
  servers.push(server)
  return `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
}

describe('public surface', () => {
  it('is bound on its own port with http.public, apart from the admin surface', async () => {
    h = await startHarness({ config: { http: { port: 0, host: '127.0.0.1', public: { port: 0, host: '127.0.0.1' } } } })
    const { adminPort, publicPort } = h.app
    expect(publicPort).toBeTypeOf('number')
    expect(publicPort).not.toBe(adminPort)
    const ping = await fetch(`http://127.0.0.1:${publicPort}/public/ping`)
    expect([ping.status, await ping.json()]).toEqual([200, { status: 'ok' }])
    // Neither port serves the other's routes.
    expect((await fetch(`http://127.0.0.1:${publicPort}/metrics`)).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${publicPort}/api/v1/projects`)).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${adminPort}/public/ping`)).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${adminPort}/healthz`)).status).toBe(200)
  })

  it('answers 404 for unknown paths, 405 for other methods and 429 past its per-address bucket', async () => {
    const base = await started(createPublicServer({ logger, rateLimit: { burst: 2, perSecond: 0.01 } }))
    const unknown = await fetch(`${base}/l/nope`)
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: { code: 'not_found', message: 'no route /l/nope' } }])
    expect((await fetch(`${base}/public/ping`, { method: 'POST' })).status).toBe(405)
    expect((await fetch(`${base}/public/ping`)).status).toBe(200)
    const limited = await fetch(`${base}/public/ping`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('100')
    expect(await limited.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many requests; try again shortly' } })
  })
})

describe('rate limit', () => {
  it('gives each address a bucket of `burst` that refills at `perSecond`', async () => {
    let now = 0
    const app = createRouter([{ name: 'public', routes: new Hono().use(rateLimit({ burst: 2, perSecond: 1 }, () => now)).get('/x', (c) => c.text('ok')) }], {
      logger,
      name: 'test',
      notFound: (c) => c.text('none', 404),
      failed: (c) => c.text('failed', 500),
    })
    const from = async (address: string) => (await app.request('/x', {}, { incoming: { socket: { remoteAddress: address } } })).status
    expect([await from('a'), await from('a'), await from('a'), await from('b')]).toEqual([200, 200, 429, 200])
    now = 1000
    expect([await from('a'), await from('a')]).toEqual([200, 429])
  })
})

describe('webhook surface', () => {
  it('checks the secret before the body, answers 413 past 1 MB, 404 for other paths and methods', async () => {
    const secret = 'webhook-secret-for-tests-0123456789'
    // Nothing here reaches the database or the bot: each request is refused first.
    const base = await started(createWebhookServer(createWebhookIngress({ db: {} as never, logger, secret, bots: [{ bot: {} as never, botId: 42, projectId: 1 }] }), logger))
    const big = JSON.stringify({ update_id: 1, pad: 'x'.repeat(1024 * 1024) })
    const post = (path: string, token?: string, body = big) => fetch(`${base}${path}`, { method: 'POST', headers: token ? { 'x-telegram-bot-api-secret-token': token } : {}, body })
    expect((await post(webhookPath(42))).status).toBe(401)
    const tooLarge = await post(webhookPath(42), secretForBot(secret, 42))
    expect([tooLarge.status, await tooLarge.text()]).toEqual([413, 'payload too large'])
    const unknownBot = await post(webhookPath(43), secretForBot(secret, 43), '{}')
    expect([unknownBot.status, await unknownBot.text()]).toEqual([404, 'not found'])
    expect((await fetch(`${base}${webhookPath(42)}`)).status).toBe(404)
    const health = await fetch(`${base}/healthz`)
    expect([health.status, await health.text()]).toEqual([200, 'ok'])
  })
})
