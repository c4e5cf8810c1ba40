import { InputFile } from 'grammy'
import { afterEach, describe, expect, it } from 'vitest'
import { failure, raw, startWorld, type ApiAnswer, type World } from './helpers.js'

let w: World
afterEach(() => w.sim.close())

describe('rate limits', () => {
  it('answers 429 with retry_after past the private burst', async () => {
    w = await startWorld({ rateLimits: { privatePerSecond: 1, privateBurst: 3 } })
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    for (let i = 0; i < 3; i++) await w.client.api.sendMessage(w.alice, `m${i}`)
    const res = await raw(w.sim, w.client.token, 'sendMessage', { chat_id: w.alice, text: 'too many' })
    expect(res.status).toBe(429)
    expect(res.json).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: expect.any(Number) } })
    expect(res.json.description).toBe(`Too Many Requests: retry after ${res.json.parameters!.retry_after}`)
    expect(res.json.parameters!.retry_after).toBeGreaterThanOrEqual(1)
    expect(w.sim.stats().rateLimited).toBe(1)
    // other bots have their own budget
    w.sim.sendPrivate(w.alice, w.cs.id, { text: 'hi' })
    await w.cs.api.sendMessage(w.alice, 'fine')
  })

  it('lifts the per-bot limit to 1000 messages a second for a paid broadcast send, not the per-chat one', async () => {
    w = await startWorld({ rateLimits: { globalPerSecond: 3, privatePerSecond: 100, privateBurst: 100 } })
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    for (let i = 0; i < 3; i++) await w.client.api.sendMessage(w.alice, `m${i}`)
    expect((await failure(w.client.api.sendMessage(w.alice, 'free'))).error_code).toBe(429)
    for (let i = 0; i < 5; i++) await w.client.api.sendMessage(w.alice, `paid ${i}`, { allow_paid_broadcast: true })
    expect(w.sim.stats().rateLimited).toBe(1)
  })

  it('shares the group budget across topics and counts edits', async () => {
    w = await startWorld({ rateLimits: { groupPerMinute: 3 } })
    const t = await w.cs.api.createForumTopic(w.group, 'A')
    const m = await w.cs.api.sendMessage(w.group, 'general')
    await w.cs.api.sendMessage(w.group, 'topic', { message_thread_id: t.message_thread_id })
    await w.cs.api.editMessageText(w.group, m.message_id, 'edited')
    const e = await failure(w.cs.api.sendMessage(w.group, 'x', { message_thread_id: t.message_thread_id }))
    expect(e.error_code).toBe(429)
    expect(e.parameters.retry_after).toBeGreaterThan(50)
    w.sim.setRateLimits(false)
    await w.cs.api.sendMessage(w.group, 'unlimited')
  })
})

describe('faults', () => {
  it('counts each album item as a message: the album needs room for all of them', async () => {
    w = await startWorld({ rateLimits: { groupPerMinute: 5 } })
    const t = await w.cs.api.createForumTopic(w.group, 'Album')
    const upload = (n: number) => ({ type: 'photo' as const, media: new InputFile(Buffer.from(`album-item-${n}`), `${n}.jpg`) })
    await w.cs.api.sendMessage(w.group, 'one', { message_thread_id: t.message_thread_id })
    await w.cs.api.sendMediaGroup(w.group, [upload(1), upload(2), upload(3)], { message_thread_id: t.message_thread_id })
    // 4 of 5 used: a 2-item album no longer fits, a single message still does.
    expect((await failure(w.cs.api.sendMediaGroup(w.group, [upload(4), upload(5)], { message_thread_id: t.message_thread_id }))).error_code).toBe(429)
    await w.cs.api.sendMessage(w.group, 'five', { message_thread_id: t.message_thread_id })
    expect((await failure(w.cs.api.sendMessage(w.group, 'six', { message_thread_id: t.message_thread_id }))).error_code).toBe(429)
  })

  it('lets an album larger than the whole budget through only into an empty window', async () => {
    w = await startWorld({ rateLimits: { privatePerSecond: 1, privateBurst: 3 } })
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    const upload = (n: number) => ({ type: 'photo' as const, media: new InputFile(Buffer.from(`burst-item-${n}`), `${n}.jpg`) })
    await w.client.api.sendMessage(w.alice, 'first')
    expect((await failure(w.client.api.sendMediaGroup(w.alice, [1, 2, 3, 4].map(upload)))).error_code).toBe(429)
  })

  it('rejects an album item caption over 1024 characters', async () => {
    w = await startWorld()
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    const media = [
      { type: 'photo' as const, media: new InputFile(Buffer.from('cap-1'), '1.jpg'), caption: 'x'.repeat(1025) },
      { type: 'photo' as const, media: new InputFile(Buffer.from('cap-2'), '2.jpg') },
    ]
    const e = await failure(w.client.api.sendMediaGroup(w.alice, media))
    expect(e.description).toBe('Bad Request: message caption is too long')
  })

  it('injects 500/502 and dropped connections, reproducibly with a seed', async () => {
    w = await startWorld({ seed: 7, faults: { serverErrorRate: 0.3, dropRate: 0.3 } })
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    const outcomes: string[] = []
    for (let i = 0; i < 40; i++) {
      try {
        const res = await fetch(`${w.sim.url}/bot${w.client.token}/sendMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: w.alice, text: `n${i}` }),
        })
        const json = (await res.json()) as ApiAnswer
        outcomes.push(json.ok ? 'ok' : json.description!)
      } catch {
        outcomes.push('dropped')
      }
    }
    expect(new Set(outcomes)).toEqual(new Set(['ok', 'Internal Server Error', 'Bad Gateway', 'dropped']))
    const created = w.sim.deliveries().length
    const ok = outcomes.filter((o) => o === 'ok').length
    expect(created).toBeGreaterThan(ok)
    expect(w.sim.stats().faults).toBe(40 - ok)
    expect(await w.client.api.getMe()).toMatchObject({ id: w.client.id })
  })

  it('fails the next calls on demand', async () => {
    w = await startWorld()
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    w.sim.failNext({ method: 'sendMessage', chatId: w.alice, times: 2, error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } })
    for (let i = 0; i < 2; i++) {
      const e = await failure(w.client.api.sendMessage(w.alice, 'x'))
      expect([e.error_code, e.parameters.retry_after]).toEqual([429, 5])
    }
    await w.client.api.sendMessage(w.alice, 'through')
  })
})
