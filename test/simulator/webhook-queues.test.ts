import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Update } from 'grammy/types'
import { afterEach, describe, expect, it } from 'vitest'
import { pollUntil } from '../support/poll.js'
import { raw, useWorld } from './helpers.js'

const w = useWorld()

/** A webhook that holds every request until the test answers it, by the update's message text. */
async function holdingWebhook() {
  const waiting: Array<{ text: string; answer: (status: number) => void }> = []
  const posted: string[] = []
  let concurrent = 0
  let most = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const text = (JSON.parse(body) as Update).message?.text ?? '?'
      concurrent += 1
      most = Math.max(most, concurrent)
      posted.push(text)
      waiting.push({
        text,
        answer: (status) => {
          concurrent -= 1
          res.writeHead(status).end()
        },
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  closers.push(() => new Promise((resolve) => server.close(() => resolve())))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    posted,
    /** The texts being posted now, in the order they came. */
    inFlight: () => waiting.map((request) => request.text),
    answer(text: string, status = 200) {
      const i = waiting.findIndex((request) => request.text === text)
      if (i < 0) throw new Error(`no request in flight for ${text}`)
      waiting.splice(i, 1)[0]!.answer(status)
    },
    mostAtOnce: () => most,
  }
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await raw(w.sim, w.client.token, 'deleteWebhook')
  for (const close of closers.splice(0)) await close()
})

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((text) => b.includes(text))

describe('webhook delivery (telegram-bot-api WebhookActor)', () => {
  it("posts different chats' updates in parallel and a chat's own one at a time, in order, after a first success", async () => {
    const carol = w.sim.createUser({ firstName: 'Carol' }).id
    const hook = await holdingWebhook()
    await raw(w.sim, w.client.token, 'setWebhook', { url: hook.url })
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'a1' })
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'a2' })
    w.sim.sendPrivate(w.bob, w.client.id, { text: 'b1' })
    w.sim.sendPrivate(carol, w.client.id, { text: 'c1' })
    // One connection until the webhook answered once.
    await w.sim.waitFor(() => hook.inFlight().length === 1)
    expect(hook.inFlight()).toEqual(['a1'])
    hook.answer('a1')
    // Then one connection per chat: Alice's second, Bob's and Carol's together.
    await w.sim.waitFor(() => sameSet(hook.inFlight(), ['a2', 'b1', 'c1']))
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'a3' })
    w.sim.sendPrivate(w.bob, w.client.id, { text: 'b2' })
    hook.answer('b1')
    await w.sim.waitFor(() => sameSet(hook.inFlight(), ['a2', 'c1', 'b2']))
    // Alice's third waits for her second's answer, whatever else is answered.
    hook.answer('c1')
    hook.answer('b2')
    await w.sim.waitFor(() => sameSet(hook.inFlight(), ['a2']))
    hook.answer('a2')
    await w.sim.waitFor(() => sameSet(hook.inFlight(), ['a3']))
    hook.answer('a3')
    expect(hook.posted.filter((text) => text.startsWith('a'))).toEqual(['a1', 'a2', 'a3'])
    expect(hook.mostAtOnce()).toBe(3)
  })

  it('opens no more than max_connections, and a failing update holds back only its own chat', async () => {
    const carol = w.sim.createUser({ firstName: 'Carol' }).id
    const hook = await holdingWebhook()
    await raw(w.sim, w.client.token, 'setWebhook', { url: hook.url, max_connections: 2 })
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'a1' })
    await w.sim.waitFor(() => hook.inFlight().length === 1)
    hook.answer('a1')
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'a2' })
    w.sim.sendPrivate(w.bob, w.client.id, { text: 'b1' })
    w.sim.sendPrivate(carol, w.client.id, { text: 'c1' })
    await w.sim.waitFor(() => sameSet(hook.inFlight(), ['a2', 'b1']))
    // Alice's second fails: retried later; Carol's takes the free connection meanwhile.
    hook.answer('a2', 500)
    await w.sim.waitFor(() => sameSet(hook.inFlight(), ['b1', 'c1']))
    hook.answer('b1')
    hook.answer('c1')
    await w.sim.waitFor(() => sameSet(hook.inFlight(), ['a2']))
    hook.answer('a2')
    await pollUntil(async () => (await w.client.api.getWebhookInfo()).pending_update_count === 0, { message: 'every update delivered' })
    expect(hook.posted.filter((text) => text === 'a2')).toHaveLength(2)
    expect(hook.mostAtOnce()).toBe(2)
  })
})
