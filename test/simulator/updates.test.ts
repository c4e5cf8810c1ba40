import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import { describe, expect, it } from 'vitest'
import { failure, raw, updates, useWorld } from './helpers.js'

const w = useWorld()

describe('getUpdates', () => {
  it('holds the request until an update arrives, and offset confirms', async () => {
    const started = Date.now()
    const poll = w.client.api.getUpdates({ timeout: 5 })
    // The update comes only once the request is waiting.
    await w.sim.waitFor(() => w.sim.stats().calls.getUpdates === 1)
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'late' })
    const list = await poll
    expect(list.map((u) => u.message?.text)).toEqual(['late'])
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await updates(w.client.api)).toHaveLength(1)
    expect(await updates(w.client.api, list[0]!.update_id + 1)).toEqual([])
  })

  it('answers at once without timeout and respects limit', async () => {
    expect(await w.client.api.getUpdates({ timeout: 0 })).toEqual([])
    for (let i = 0; i < 3; i++) w.sim.sendPrivate(w.alice, w.client.id, { text: `m${i}` })
    expect(await w.client.api.getUpdates({ limit: 2 })).toHaveLength(2)
  })

  it('terminates the older of two concurrent polls with 409', async () => {
    const first = w.client.api.getUpdates({ timeout: 5 })
    await w.sim.waitFor(() => w.sim.stats().calls.getUpdates === 1)
    const second = w.client.api.getUpdates({ timeout: 0 })
    const e = await failure(first)
    expect([e.error_code, e.description]).toEqual([409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'])
    expect(await second).toEqual([])
  })

  it('drives a real grammY bot', async () => {
    const bot = new Bot(w.client.token, { client: { apiRoot: w.sim.url } })
    bot.command('start', (ctx) => ctx.reply(`hello ${ctx.match}`))
    void bot.start({ timeout: 1 })
    w.sim.sendPrivate(w.alice, w.client.id, { text: '/start abc' })
    await w.sim.waitFor(() => w.sim.privateMessages(w.alice, w.client.id).find((m) => m.text === 'hello abc'))
    await bot.stop()
  })
})

describe('webhooks', () => {
  it('posts updates with the secret header, retries failures, and blocks getUpdates', async () => {
    const received: Array<{ secret?: string; body: Update }> = []
    let failFirst = 2
    const server = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        if (failFirst-- > 0) {
          res.writeHead(500).end()
          return
        }
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body: JSON.parse(body) as Update })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    try {
      const set = await raw(w.sim, w.client.token, 'setWebhook', { url, secret_token: 's3cret' })
      expect(set.json).toEqual({ ok: true, result: true, description: 'Webhook was set' })
      const e = await failure(w.client.api.getUpdates())
      expect(e.description).toBe("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
      w.sim.sendPrivate(w.alice, w.client.id, { text: 'one' })
      w.sim.sendPrivate(w.alice, w.client.id, { text: 'two' })
      await w.sim.waitFor(() => received.length === 2)
      expect(received.map((r) => [r.secret, r.body.message?.text])).toEqual([
        ['s3cret', 'one'],
        ['s3cret', 'two'],
      ])
      const info = await w.client.api.getWebhookInfo()
      expect(info).toMatchObject({ url, pending_update_count: 0 })
      expect(info.last_error_message).toMatch(/500/)
      await w.client.api.deleteWebhook()
      expect(await updates(w.client.api)).toEqual([])
    } finally {
      server.close()
    }
  })

  it('drops pending updates on request', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'old' })
    await w.client.api.deleteWebhook({ drop_pending_updates: true })
    expect(await updates(w.client.api)).toEqual([])
  })
})
