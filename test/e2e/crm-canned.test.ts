import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages } from '../../src/db/schema/index.js'
import { topicByThread } from '../../src/domain/customers.js'
import { sendCanned } from '../../src/domain/crm/canned.js'
import { staffGroupOf } from '../../src/domain/project-runtime.js'
import { toInboundMessage } from '../../src/bots/shared/inbound.js'
import { useOnboardedZoe } from '../support/suite.js'
import { waitForPrivate, waitForTopicMessage } from '../support/flows.js'

const { h, zoe } = useOnboardedZoe()

/** Sends a command in a group (General, or a topic) and waits for the bot's answer to it. */
async function ask(userId: number, chatId: number, text: string, threadId?: number) {
  const sent = h.sim.sendGroup(userId, chatId, { text }, threadId ? { threadId } : {})
  return h.sim.waitFor(() => h.sim.chatMessages(chatId).find((m) => m.from.is_bot && m.reply_to_message_id === sent.message_id))
}

const REFUND = 'Your refund is on its way.\nIt takes 3-5 days.'

describe('canned replies', () => {
  it('CS leads add, replace and remove them; staff list them', async () => {
    const { world } = h
    const cs = world.groups.cs.id
    expect((await ask(world.people.bob.id, cs, `/canned add refund ${REFUND}`)).text).toBe('Only CS leads can change canned replies.')
    expect((await ask(world.people.alice.id, cs, '/canned add Refund draft')).text).toBe('💬 Canned reply "refund" saved. Send it in a customer\'s topic with /c refund')
    await ask(world.people.alice.id, cs, `/canned add refund ${REFUND}`)
    await ask(world.people.alice.id, cs, '/canned add bye Bye!')
    expect((await ask(world.people.alice.id, cs, '/canned add nameonly')).text).toBe('Usage: /canned add <name> <text>, with a name of letters a-z, digits, _ and -.')
    expect((await ask(world.people.carol.id, zoe.crChat, '/canned list')).text).toBe(
      '💬 Canned replies (send with /c <name>):\n• bye: Bye!\n• refund: Your refund is on its way. It takes 3-5 days.',
    )
    // Someone in the group who is not on the roster sees none of them.
    expect((await ask(world.people.mallory.id, cs, '/canned list')).text).toBe('Only staff can see canned replies.')
    expect((await ask(world.people.mallory.id, cs, '/canned')).text).toBe('Only staff can see canned replies.')
    expect((await ask(world.people.alice.id, cs, '/canned remove bye')).text).toBe('💬 Canned reply "bye" removed.')
    expect((await ask(world.people.alice.id, cs, '/canned remove bye')).text).toBe('There is no canned reply "bye".')
  })

  it('/c sends the text to the client as the agent, attributed, and mirrors it into every topic', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const command = sim.sendGroup(world.people.carol.id, zoe.crChat, { text: '/c refund' }, { threadId: zoe.cr })
    const atClient = await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'refund is on its way')
    expect(atClient.text).toBe(`Carol · CR\n${REFUND}`)
    expect(atClient.entities).toEqual([{ type: 'bold', offset: 0, length: 'Carol · CR'.length }])
    expect(sim.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.text?.includes('/c'))).toBe(false)
    // Where it was typed and elsewhere, staff see what the client got (the command itself is not relayed).
    const here = await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.from.is_bot && m.message_id > command.message_id && m.text?.includes('refund is on') === true)
    expect(here.text).toBe(`Carol · CR → client\n${REFUND}`)
    const mirror = await waitForTopicMessage(h, cs, zoe.cs, `Carol · CR → client\n${REFUND}`)

    // The client's reply to it lands as a reply to its copy in each topic.
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Thanks!' }, { replyTo: atClient.message_id })
    const reply = await waitForTopicMessage(h, cs, zoe.cs, 'Thanks!')
    expect(reply.reply_to_message_id).toBe(mirror.message_id)
  })

  it('/c as a reply to a client message answers that message, at the client too, even sent before the copy was recorded', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const question = sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Where is my refund?' })
    // The copy is in the topic 1.5 s before its send is answered (and its id recorded): the command answers it at once.
    sim.setLatency({ afterEffect: { sendMessage: 1500, copyMessage: 1500 } })
    let copy: Awaited<ReturnType<typeof waitForTopicMessage>>
    try {
      copy = await waitForTopicMessage(h, cs, zoe.cs, 'Where is my refund?')
      sim.sendGroup(world.people.bob.id, cs, { text: '/c refund' }, { threadId: zoe.cs, replyTo: copy.message_id })
    } finally {
      sim.setLatency(false)
    }
    await h.sim.waitFor(() => sim.privateMessages(world.people.zoe.id, world.bots.client.id).find((m) => m.text === `Bob · CS\n${REFUND}`))
    const atClient = sim.privateMessages(world.people.zoe.id, world.bots.client.id).find((m) => m.text === `Bob · CS\n${REFUND}`)!
    expect(atClient.reply_to_message_id).toBe(question.message_id)
    const mirror = await waitForTopicMessage(h, cs, zoe.cs, `Bob · CS → client\n${REFUND}`)
    expect(mirror.reply_to_message_id).toBe(copy.message_id)
  })

  it('sends once for one command, even when its update is handled again', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const command = sim.sendGroup(world.people.alice.id, cs, { text: '/c bye' }, { threadId: zoe.cs })
    await ask(world.people.alice.id, cs, '/canned add bye Goodbye for now!')
    const project = h.app.projects[0]!
    const topic = (await topicByThread(h.database.db, { projectId: project.id }, cs, zoe.cs))!
    for (let i = 0; i < 2; i++) {
      const outcome = await sendCanned(h.app.deps, project, staffGroupOf(project, cs)!, topic, toInboundMessage(command), 'bye')
      expect(outcome.ok).toBe(true)
    }
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Goodbye for now!')
    const stored = await h.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.customerId, topic.customerId), eq(messages.text, 'Goodbye for now!')))
    expect(stored).toHaveLength(1)
  })

  it('answers an unknown name politely and sends nothing', async () => {
    const { sim, world } = h
    expect((await ask(world.people.bob.id, world.groups.cs.id, '/c nope', zoe.cs)).text).toBe('There is no canned reply "nope". See /canned list.')
    expect((await ask(world.people.bob.id, world.groups.cs.id, '/c', zoe.cs)).text).toBe('Which canned reply? Usage: /c <name> (see /canned list).')
    expect(sim.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.text?.includes('nope'))).toBe(false)
  })
})
