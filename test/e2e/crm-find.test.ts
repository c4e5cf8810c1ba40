import { describe, expect, it } from 'vitest'
import { customers, customerTags } from '../../src/db/schema/index.js'
import { useOnboardedZoe } from '../support/suite.js'
import { onboard, waitForTopicMessage } from '../support/flows.js'

const { h, zoe } = useOnboardedZoe({}, async (harness) => {
  await onboard(harness, harness.world.people.yuri, 'yuri@example.com', 'south')
})

/** Sends a command in the CS group's General and waits for the bot's answer to it. */
async function ask(userId: number, text: string) {
  const cs = h.world.groups.cs.id
  const sent = h.sim.sendGroup(userId, cs, { text })
  return h.sim.waitFor(() => h.sim.chatMessages(cs).find((m) => m.from.is_bot && m.message_id > sent.message_id && m.reply_to_message_id === sent.message_id))
}

const linkOf = (chatId: number, threadId: number) => `https://t.me/c/${String(chatId).slice(4)}/${threadId}`

describe('/find', () => {
  it('lists the customers with a tag, with links to their CS topics, within the project', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    sim.sendGroup(world.people.bob.id, cs, { text: '/tag vip' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, '🏷 Tags: #vip')
    // A customer of another project with the same tag is never listed.
    const [other] = await h.database.db.insert(customers).values({ projectId: h.projectId + 1, telegramUserId: 999, clientBotId: 1, firstName: 'Otto' })
    await h.database.db.insert(customerTags).values({ projectId: h.projectId + 1, customerId: Number(other.insertId), tag: 'vip' })

    const found = await ask(world.people.bob.id, '/find tag:VIP')
    expect(String(cs)).toMatch(/^-100\d+$/)
    expect(found.text).toBe(`🔎 1 customer matching tag:VIP:\n• Zoe Quinn (@zoeq) · ACC-1001 · zoe@example.com — ${linkOf(cs, zoe.cs)}`)
    expect((await ask(world.people.bob.id, '/find tag:refund')).text).toBe('🔎 No customer matches tag:refund.')
  })

  it('finds by email, account id, name or username, from General or inside a topic', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const yuri = sim.topics(cs).find((t) => t.name.startsWith('Yuri'))!
    for (const query of ['yuri@example', 'acc-1002', 'Petrov', 'yuri']) {
      const found = await ask(world.people.alice.id, `/find ${query}`)
      expect(found.text).toContain(`• Yuri (@yuri) · ACC-1002 · yuri@example.com — ${linkOf(cs, yuri.message_thread_id)}`)
      expect(found.text).not.toContain('Zoe')
    }
    const both = await ask(world.people.alice.id, '/find example.com')
    expect(both.text).toMatch(/^🔎 2 customers matching example.com:\n• Zoe Quinn .*\n• Yuri /)
    // A LIKE wildcard is a plain character.
    expect((await ask(world.people.alice.id, '/find %')).text).toBe('🔎 No customer matches %.')
    const inTopic = sim.sendGroup(world.people.bob.id, cs, { text: '/find zoeq' }, { threadId: zoe.cs })
    const answer = await waitForTopicMessage(h, cs, zoe.cs, (m) => m.from.is_bot && m.message_id > inTopic.message_id && m.text?.startsWith('🔎') === true)
    expect(answer.text).toContain(linkOf(cs, zoe.cs))
  })

  it('is refused to CR staff and answers an empty query politely', async () => {
    const { sim, world } = h
    sim.addMember(world.groups.cs.id, world.people.carol.id)
    expect((await ask(world.people.carol.id, '/find zoe')).text).toBe('Only CS staff can search customers.')
    expect((await ask(world.people.bob.id, '/find')).text).toBe('Find whom? For example: /find tag:vip, or /find an email, account id or name.')
  })
})
