import { describe, expect, it } from 'vitest'
import type { Message } from 'grammy/types'
import type { SimBot } from '../../src/simulator/types.js'
import { buttonData, waitForPrivate, waitForTopic, waitForTopicMessage } from '../support/flows.js'
import { outboxIdle } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * A CS pool of three bots. With 10 sends per bot per minute into a group, the planner uses the
 * first bot until its budget is spent, then the next: once a copy of Zoe's messages comes from
 * the second bot, the first (the listening one) is spent for the minute, so Yuri's card and the
 * later copies are posted by bots that do not listen to the group.
 */
let pool: SimBot[] = []
const { h, zoe } = useOnboardedZoe({
  prepare: (sim, world) => {
    const extra = [2, 3].map((n) => sim.createBot({ token: `7012${n}:cs-pool-${n}`, username: `acme_cs${n}_bot` }))
    for (const bot of extra) {
      sim.addMember(world.groups.cs.id, bot.id)
      sim.promote(world.groups.cs.id, bot.id, { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true })
    }
    pool = [world.bots.cs, ...extra]
    Object.assign(world.project.bots, { cs: pool.map((b) => b.token) })
  },
  config: {
    delivery: {
      workersPerClass: 2,
      pollIntervalMs: 50,
      albumWindowMs: 300,
      maxAttempts: 5,
      budgets: { groupPerMinute: 10, privatePerSecond: 20, privateBurst: 20, globalPerSecond: 30 },
    },
  },
})

const cs = () => h.world.groups.cs.id

/** Zoe writes until a copy in her CS topic comes from a bot the predicate accepts; returns the originals and copies. */
async function writeUntilCopyBy(accept: (botId: number) => boolean, label: string) {
  const written: Array<{ original: Message; copy: Message }> = []
  for (let i = 1; i <= 20; i++) {
    const original = h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text: `${label} ${i}` })
    const copy = await waitForTopicMessage(h, cs(), zoe.cs, `${label} ${i}`)
    written.push({ original, copy: copy as unknown as Message })
    if (accept(copy.from.id)) return written
  }
  throw new Error(`no copy by the wanted bot after 20 messages (${label})`)
}

describe('a CS pool of three bots', () => {
  it('answers a press on a card posted by a bot that does not listen, and acts on it', async () => {
    const { sim, world } = h
    const yuri = world.people.yuri
    await writeUntilCopyBy((botId) => botId !== pool[0]!.id, 'Filler')
    sim.sendPrivate(yuri.id, world.bots.client.id, { text: '/start' })
    await waitForPrivate(h, yuri.id, world.bots.client.id, 'email')
    sim.sendPrivate(yuri.id, world.bots.client.id, { text: 'yuri@example.com' })
    const card = await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.reply_markup && m.text?.includes('yuri@example.com')))
    expect(card.from.id).not.toBe(pool[0]!.id)
    const answer = await sim.pressButton(world.people.alice.id, cs(), card.message_id, buttonData(card, 'CR South'))
    expect(answer?.text).toBe('Assigned to CR South.')
    await waitForTopic(h, world.groups.south.id, 'Yuri')
    await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.message_id === card.message_id && /Assigned to CR South.* by Alice/.test(m.text ?? '')))
  })

  it('maps a staff reply to a copy posted by the second bot, and mirrors a reaction on a copy by the third', async () => {
    const { sim, world } = h
    const zoeId = world.people.zoe.id
    const bySecond = (await writeUntilCopyBy((botId) => botId === pool[1]!.id, 'Pool question')).at(-1)!
    const byThird = (await writeUntilCopyBy((botId) => botId === pool[2]!.id, 'Another question')).at(-1)!
    // A copy's id is recorded right after its send returns: reply and react once the service knows them.
    await outboxIdle(h.database.db)

    sim.sendGroup(world.people.bob.id, cs(), { text: 'Answer to the second bot copy' }, { threadId: zoe.cs, replyTo: bySecond.copy.message_id })
    const atClient = await waitForPrivate(h, zoeId, world.bots.client.id, 'Answer to the second bot copy')
    expect(atClient.reply_to_message_id).toBe(bySecond.original.message_id)

    sim.react(world.people.bob.id, cs(), byThird.copy.message_id, ['👍'])
    await sim.waitFor(() => sim.privateMessages(zoeId, world.bots.client.id).find((m) => m.message_id === byThird.original.message_id && m.reactions.some((r) => r.emoji === '👍')))
  })
})
