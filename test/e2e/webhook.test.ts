import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { updates } from '../../src/db/schema/index.js'
import { secretForBot, webhookPath } from '../../src/server/webhook-server.js'
import { freePort } from '../support/free-port.js'
import { onboard, waitForTopicMessage } from '../support/flows.js'
import { serviceSettled } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

const SECRET = 'webhook-secret-for-tests-0123456789'
let port: number
const h = useHarness(async () => {
  port = await freePort()
  return { config: { telegram: { mode: 'webhook', pollTimeoutSeconds: 1, webhook: { publicUrl: `http://127.0.0.1:${port}`, host: '127.0.0.1', port, secret: SECRET } } } }
})

const post = (botId: number, body: string, secret?: string) =>
  fetch(`http://127.0.0.1:${port}${webhookPath(botId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body,
  })

describe('webhook ingress', () => {
  it('relays end to end through webhooks set with the secret token and allowed updates', async () => {
    const zoe = await onboard(h, h.world.people.zoe, 'zoe@example.com', 'north')
    h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text: 'via webhook' })
    await waitForTopicMessage(h, h.world.groups.cs.id, zoe.cs, 'via webhook')
  })

  it('refuses a wrong or missing secret with 401 and a malformed body with 400', async () => {
    const bot = h.world.bots.client.id
    const update = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'forged' } })
    expect((await post(bot, update)).status).toBe(401)
    expect((await post(bot, update, 'not-the-secret')).status).toBe(401)
    expect((await post(bot, update, secretForBot(SECRET, h.world.bots.cs.id))).status).toBe(401)
    expect((await post(bot, '{not json', secretForBot(SECRET, bot))).status).toBe(400)
    const stored = await h.database.db
      .select()
      .from(updates)
      .where(and(eq(updates.botId, bot), eq(updates.updateId, 1)))
    expect(stored).toEqual([])
  })

  it('stores an update before answering and handles a redelivered one once', async () => {
    const bot = h.world.bots.client.id
    const zoe = h.world.people.zoe
    const update = JSON.stringify({
      update_id: 777_000_001,
      message: {
        message_id: 990_001,
        date: Math.floor(Date.now() / 1000),
        chat: { id: zoe.id, type: 'private', first_name: 'Zoe' },
        from: { id: zoe.id, is_bot: false, first_name: 'Zoe' },
        text: 'delivered twice',
      },
    })
    const [first, second] = await Promise.all([post(bot, update, secretForBot(SECRET, bot)), post(bot, update, secretForBot(SECRET, bot))])
    expect([first.status, second.status]).toEqual([200, 200])
    const [row] = await h.database.db
      .select()
      .from(updates)
      .where(and(eq(updates.botId, bot), eq(updates.updateId, 777_000_001)))
    expect(row).toBeDefined()
    const topic = h.sim.topics(h.world.groups.cs.id).find((t) => t.name.startsWith('Zoe'))!
    await waitForTopicMessage(h, h.world.groups.cs.id, topic.message_thread_id, 'delivered twice')
    await serviceSettled(h.database.db)
    expect(h.sim.chatMessages(h.world.groups.cs.id, { threadId: topic.message_thread_id }).filter((m) => m.text === 'delivered twice')).toHaveLength(1)
  })

  it('reports a token revoked while running at its first refused send: failing, and one alarm by a bot that still works', async () => {
    const { sim, world } = h
    // No poller notices a revoked token in webhook mode (Telegram just stops posting): the sends must.
    const yuri = await onboard(h, world.people.yuri, 'yuri@example.com', 'north')
    sim.revokeToken(world.bots.client.id)
    sim.sendGroup(world.people.bob.id, world.groups.cs.id, { text: 'Bob answers Yuri' }, { threadId: yuri.cs })
    const alarm = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.text?.includes('cannot receive updates')), { message: 'the alarm' })
    expect(alarm.from.id).toBe(world.bots.cs.id)
    expect(alarm.text).toContain('(projects[0].bots.client) cannot receive updates: Telegram refused its token (401 Unauthorized)')
    expect(h.app.botHealth.failing().map((b) => b.path)).toEqual(['projects[0].bots.client'])
  })
})
