import { eq, isNotNull, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers, kbChunks, messages } from '../../src/db/schema/index.js'
import { retrieve } from '../../src/domain/knowledge/index.js'
import { exportCustomerData, forgetCustomer } from '../../src/domain/personal-data.js'
import { waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// The fixture's knowledge folder, synced and embedded by the fake provider when the service starts (relative to the working directory: no config file).
// Suggest mode off keeps this test about /kb.
// A block phrase gives a staff answer the client never received.
const { h, zoe } = useOnboardedZoe({
  openai: { assistant: { mode: 'off' } },
  project: { assistant: { knowledge: 'test/fixtures/kb/acme' }, riskPhrases: [{ name: 'refund-promise', mode: 'block', patterns: ['guaranteed refund'] }] },
})

const QUESTION = 'Can you deliver my order to Reykjavik in Iceland?'
const ANSWER = 'Yes: Iceland takes 6–9 working days with DHL, duties paid on arrival.'

/** Sends a command in a topic (as a reply to `replyTo`) and waits for the bot's answer to it. */
async function command(userId: number, chatId: number, threadId: number | undefined, text: string, replyTo?: number) {
  const sent = h.sim.sendGroup(userId, chatId, { text }, { ...(threadId ? { threadId } : {}), ...(replyTo ? { replyTo } : {}) })
  return (await h.sim.waitFor(() => h.sim.chatMessages(chatId).find((m) => m.from.is_bot && m.reply_to_message_id === sent.message_id))).text
}

describe('the knowledge base: synced on start, /kb add from a conversation', () => {
  it('syncs the configured folder when the service starts', async () => {
    await h.app.knowledge
    const [passage] = await retrieve(h.database.db, h.projectId, 'I forgot my password', { limit: 1 })
    expect(passage).toMatchObject({ source: 'accounts.md', section: 'Your account > Resetting your password' })
    const stored = await h.database.db.select({ model: kbChunks.embeddingModel }).from(kbChunks).where(eq(kbChunks.projectId, h.projectId))
    expect(stored.length).toBeGreaterThanOrEqual(30)
    expect(stored.every((row) => row.model === h.openai!.embeddingModel)).toBe(true)
  })

  it('refuses a staff answer a risk phrase kept from the client', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Can I get my money back?' })
    await waitForTopicMessage(h, cs, zoe.cs, 'Can I get my money back?')
    const blocked = sim.sendGroup(world.people.alice.id, cs, { text: 'Yes, a guaranteed refund within a day.' }, { threadId: zoe.cs })
    await pollUntil(async () => (await h.database.db.select().from(messages).where(isNotNull(messages.notRelayed))).some((m) => m.text?.includes('guaranteed refund')), {
      message: 'the blocked answer stored',
    })
    expect(await command(world.people.alice.id, cs, zoe.cs, '/kb add', blocked.message_id)).toBe(
      'This answer never reached the client (a risk phrase held or blocked it), so it cannot be added to the knowledge base.',
    )
    expect(await h.database.db.select().from(kbChunks).where(like(kbChunks.source, 'conversation:%'))).toEqual([])
  })

  it('a CS lead adds a client question and its staff answer; an agent is refused; leads list and remove; forget deletes it', async () => {
    const { sim, world } = h
    const { db } = h.database
    const cs = world.groups.cs.id
    const [{ id: customerId }] = (await db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, world.people.zoe.id))) as [{ id: number }]
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: QUESTION })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, QUESTION)
    const answer = sim.sendGroup(world.people.carol.id, zoe.crChat, { text: ANSWER }, { threadId: zoe.cr })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, ANSWER)
    const mirror = await waitForTopicMessage(h, cs, zoe.cs, (m) => m.text?.endsWith(ANSWER) === true)

    // The CR agent who answered may not; in the CS topic, a CS agent may not either; a CS lead may (on the mirror).
    expect(await command(world.people.carol.id, zoe.crChat, zoe.cr, '/kb add', answer.message_id)).toBe('Only CS leads can change the knowledge base.')
    expect(await command(world.people.bob.id, cs, zoe.cs, '/kb add', mirror.message_id)).toBe('Only CS leads can change the knowledge base.')
    expect(
      await db
        .select()
        .from(kbChunks)
        .where(eq(kbChunks.source, `conversation:${customerId}`)),
    ).toEqual([])
    const question = await waitForTopicMessage(h, cs, zoe.cs, QUESTION)
    expect(await command(world.people.alice.id, cs, zoe.cs, '/kb add', question.message_id)).toBe(
      '/kb add works on a staff answer to the client with text (not a client message or a note).',
    )
    const added = await command(world.people.alice.id, cs, zoe.cs, '/kb add', mirror.message_id)
    const id = Number(/^📚 Added to the knowledge base as #(\d+): "(.*)"$/.exec(added ?? '')?.[1])
    expect(added).toBe(`📚 Added to the knowledge base as #${id}: "${QUESTION}"`)
    expect(await command(world.people.alice.id, cs, zoe.cs, '/kb add', mirror.message_id)).toBe(`📚 This answer is already in the knowledge base as #${id}.`)

    // Retrieval finds it with its citation, first for its question.
    const [found] = await retrieve(db, h.projectId, 'how long does delivery to Iceland take?', { limit: 3 })
    expect(found).toMatchObject({ id, source: `conversation:${customerId}`, section: QUESTION, text: `Q: ${QUESTION}\nA: ${ANSWER}` })

    expect(await command(world.people.alice.id, cs, undefined, '/kb list')).toBe(
      `📚 Approved answers in the knowledge base (remove with /kb remove <id>):\n• #${id} (customer ${customerId}): ${QUESTION}`,
    )
    expect(await command(world.people.bob.id, cs, undefined, '/kb list')).toBe('Only CS leads can change the knowledge base.')
    expect(await command(world.people.alice.id, cs, undefined, `/kb remove ${id}`)).toBe(`📚 #${id} removed from the knowledge base.`)
    expect(await command(world.people.alice.id, cs, undefined, `/kb remove ${id}`)).toBe(`There is no approved answer #${id}.`)
    expect(await command(world.people.alice.id, cs, undefined, '/kb list')).toBe('📚 No approved answers yet. CS leads add them with /kb add as a reply to a staff answer.')

    // Added again: her export shows it, and forgetting her deletes it.
    expect(await command(world.people.alice.id, cs, zoe.cs, '/kb add', mirror.message_id)).toMatch(/^📚 Added/)
    const exported = await exportCustomerData(db, h.projectId, customerId, 'test', new Date())
    expect(exported?.knowledgePairs).toMatchObject([{ section: QUESTION, text: `Q: ${QUESTION}\nA: ${ANSWER}`, approvedBy: world.people.alice.id }])
    expect(await forgetCustomer(db, h.projectId, customerId, 'test')).toMatchObject({ knowledgePairs: 1 })
    expect(await db.select().from(kbChunks).where(eq(kbChunks.customerId, customerId))).toEqual([])
    expect((await retrieve(db, h.projectId, 'delivery to Iceland', { limit: 3 })).map((passage) => passage.source)).not.toContain(`conversation:${customerId}`)
    expect((await db.select().from(customers).where(eq(customers.id, customerId)))[0]?.firstName).toBe('')
  })
})
