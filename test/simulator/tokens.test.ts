import { Api } from 'grammy'
import { describe, expect, it } from 'vitest'
import { failure, raw, useWorld } from './helpers.js'

const w = useWorld()

describe('token revocation', () => {
  it('answers every call with a revoked token 401 Unauthorized, and the new token works', async () => {
    const fresh = w.sim.revokeToken(w.client.id)
    expect(fresh.startsWith(`${w.client.id}:`)).toBe(true)
    const answer = await raw(w.sim, w.client.token, 'getMe')
    expect(answer.status).toBe(401)
    expect(answer.json).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' })
    expect((await failure(w.client.api.sendMessage(w.alice, 'hi'))).error_code).toBe(401)
    const me = await new Api(fresh, { apiRoot: w.sim.url }).getMe()
    expect(me.id).toBe(w.client.id)
    // Other bots are untouched.
    expect((await w.cs.api.getMe()).id).toBe(w.cs.id)
  })

  it('ends a waiting long poll with 401 when the token is revoked', async () => {
    const poll = w.client.api.getUpdates({ timeout: 5 })
    await w.sim.waitFor(() => w.sim.stats().calls.getUpdates === 1)
    const started = Date.now()
    w.sim.revokeToken(w.client.id)
    const e = await failure(poll)
    expect([e.error_code, e.description]).toEqual([401, 'Unauthorized'])
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('setToken restores a token: the bot answers to it again, with its pending updates', async () => {
    const original = w.client.token
    w.sim.revokeToken(w.client.id)
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'while revoked' })
    w.sim.setToken(w.client.id, original)
    const list = await w.client.api.getUpdates({ timeout: 0 })
    expect(list.map((u) => u.message?.text)).toEqual(['while revoked'])
  })
})
