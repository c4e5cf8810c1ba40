import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assistantAnswers, assistantHandovers, assistantJobs, customers } from '../../src/db/schema/index.js'
import { exportCustomerData, forgetCustomer } from '../../src/domain/personal-data.js'
import { askInGroup, buttonData, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// Answer mode against the fake provider, with the fixture's knowledge base (synced at start).
const { h, zoe } = useOnboardedZoe({
  openai: { assistant: { timeoutSeconds: 2 } },
  project: { assistant: { knowledge: 'test/fixtures/kb/acme', mode: 'answer', answer: { when: 'confident', quietMinutesAfterStaff: 30 } } },
})

const CONFIDENT = 'How long does delivery to the United States take?'

/** The answer job of a client message (by its text), once it ended. */
async function answerJobOf(text: string) {
  const find = async () => {
    const rows = await h.database.db.select().from(assistantJobs).where(eq(assistantJobs.kind, 'answer'))
    for (const row of rows) {
      const payload = JSON.parse(row.payload) as { messageRowId: number }
      const [m] = (await h.database.db.execute(`SELECT text FROM messages WHERE id = ${payload.messageRowId}`)) as unknown as [Array<{ text: string }>]
      if (m[0]?.text === text) return row
    }
    return undefined
  }
  await pollUntil(async () => ['done', 'failed'].includes((await find())?.state ?? ''), { message: `the answer job of "${text}" ended` })
  return (await find())!
}
const fromZoe = (text: string) => h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text })
const botMessages = () => h.sim.privateMessages(h.world.people.zoe.id, h.world.bots.client.id).filter((m) => m.from.is_bot)

describe('answer mode', () => {
  it('a confident question: drafts streamed, then the answer with "Talk to a person"; the topics see it marked 🤖 with its source; recorded; the prompt holds no customer field', async () => {
    await h.app.knowledge
    fromZoe(CONFIDENT)
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, CONFIDENT)
    const answer = await waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, /United States/)
    expect(answer.text).toMatch(/^We ship to every country of the European Union.*Canada\.$/)
    expect(buttonData(answer, 'Talk to a person')).toMatch(/^fl:p:/)
    // The drafts came before the message, from the client bot, into Zoe's chat.
    const drafts = h.sim.draftsIn(h.world.people.zoe.id, h.world.bots.client.id)
    expect(drafts.length).toBeGreaterThanOrEqual(1)
    expect(answer.text!.startsWith(drafts[0]!.text.trim().split(' ')[0]!)).toBe(true)
    expect(drafts.at(-1)!.atMs).toBeLessThanOrEqual(answer.date * 1000 + 1000)
    const shown = await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text?.startsWith('🤖 ') === true && m.text.includes('United States'))
    expect(shown.text).toContain('📚 Sources: shipping.md#')
    await waitForTopicMessage(h, h.world.groups.cs.id, zoe.cs, (m) => m.text?.startsWith('🤖 ') === true && m.text.includes('United States'))
    const [row] = await h.database.db.select().from(assistantAnswers)
    expect(row).toMatchObject({ confident: true, handedOverAt: null, text: answer.text })
    // Only the passages, the conversation and no customer field: no email, no account name.
    const request = JSON.stringify(h.openai!.chatRequests().at(-1)!.body)
    expect(request).toContain('<passage id=')
    expect(request).toContain(CONFIDENT)
    expect(request).not.toContain('zoe@example.com')
    expect(request).not.toMatch(/firstName|accountName|accountEmail/)
  })

  it('not confident: no answer (the message is with the staff as any other)', async () => {
    const before = botMessages().length
    fromZoe('Zorbly quux frobnicate wibble?')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Zorbly quux frobnicate wibble?')
    const job = await answerJobOf('Zorbly quux frobnicate wibble?')
    expect(JSON.parse(job.result!)).toEqual({ skipped: 'not_confident' })
    expect(botMessages()).toHaveLength(before)

    // With answer.when: always it answers anyway, told to say it does not know; the topics see no source.
    const assistant = h.app.projects.find((p) => p.id === h.projectId)!.config.assistant!
    const saved = assistant.answer
    assistant.answer = { when: 'always', quietMinutesAfterStaff: 30 }
    try {
      fromZoe('Plover xyzzy grue?')
      const answer = await waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, "I don't know.")
      expect(buttonData(answer, 'Talk to a person')).toMatch(/^fl:p:/)
      await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text?.startsWith("🤖 I don't know.") === true && m.text.includes('📚 No source'))
      const system = (h.openai!.chatRequests().at(-1)!.body as { messages: Array<{ content: string }> }).messages[0]!.content
      expect(system).toContain('say you do not know')
    } finally {
      assistant.answer = saved
    }
  })

  it('a provider timeout and a 429: the message is relayed at once, no answer, the job says why', async () => {
    const before = botMessages().length
    h.openai!.delay(5_000)
    const sentAt = Date.now()
    fromZoe('How long does delivery to Canada take?')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'How long does delivery to Canada take?')
    expect(Date.now() - sentAt).toBeLessThan(2_000)
    expect(await answerJobOf('How long does delivery to Canada take?')).toMatchObject({ state: 'failed', outcome: 'timeout' })
    h.openai!.delay(0)
    h.openai!.rateLimit(10, 0)
    fromZoe('How long does delivery to Norway take?')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'How long does delivery to Norway take?')
    expect(await answerJobOf('How long does delivery to Norway take?')).toMatchObject({ state: 'failed', outcome: 'rate_limited' })
    h.openai!.rateLimit(0, 0)
    expect(botMessages()).toHaveLength(before)
  })

  it('"Talk to a person": the owner is pinged, the assistant stays quiet until the conversation is resolved', async () => {
    const answer = botMessages().find((m) => m.text?.includes('United States'))!
    await h.sim.pressButton(h.world.people.zoe.id, h.world.bots.client.id, answer.message_id, buttonData(answer, 'Talk to a person'))
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, '🙋 Talk to a person')
    const ping = await waitForTopicMessage(h, zoe.crChat, zoe.cr, /asked for a person after the assistant's answer/)
    expect(ping.entities?.some((e) => e.type === 'text_mention')).toBe(true)
    // Both answers the client went past count as handed over.
    const rows = await h.database.db.select().from(assistantAnswers).orderBy(assistantAnswers.id)
    expect(rows.map((r) => r.handedOverAt instanceof Date)).toEqual([true, true])

    const before = botMessages().length
    fromZoe('How long does delivery to Switzerland take?')
    expect(JSON.parse((await answerJobOf('How long does delivery to Switzerland take?')).result!)).toEqual({ skipped: 'handed_over' })
    expect(botMessages()).toHaveLength(before)

    h.sim.sendGroup(h.world.people.carol.id, zoe.crChat, { text: '/resolve' }, { threadId: zoe.cr })
    const [{ id: customerId }] = (await h.database.db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id))) as [{ id: number }]
    await pollUntil(
      async () =>
        (
          await h.database.db
            .select()
            .from(assistantHandovers)
            .where(and(eq(assistantHandovers.projectId, h.projectId), eq(assistantHandovers.customerId, customerId)))
        ).length === 0,
      { message: 'the handover ended with /resolve' },
    )
    await serviceSettled(h.database.db)

    // /stats: one automatic answer so far, handed over.
    const stats = await askInGroup(h, h.world.people.alice.id, h.world.groups.cs.id, '/stats')
    expect(stats.text).toContain('🤖 Automatic answers: 2, handed over to a person: 2 (100%)')
  })

  it('never answers once a person wrote in the conversation lately', async () => {
    // (The CR topic closed with /resolve: Alice answers in the CS topic.)
    h.sim.sendGroup(h.world.people.alice.id, h.world.groups.cs.id, { text: 'Hi Zoe, Alice here.' }, { threadId: zoe.cs })
    await waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, 'Hi Zoe, Alice here.')
    const before = botMessages().length
    fromZoe('How long does delivery to Belgium take?')
    expect(JSON.parse((await answerJobOf('How long does delivery to Belgium take?')).result!)).toEqual({ skipped: 'staff_wrote' })
    expect(botMessages()).toHaveLength(before)
  })

  it('customer export lists the automatic answers; forget erases their texts and sources', async () => {
    const { db } = h.database
    const [{ id: customerId }] = (await db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id))) as [{ id: number }]
    const exported = await exportCustomerData(db, h.projectId, customerId, 'test', new Date())
    expect(exported?.assistantAnswers).toMatchObject([
      { text: expect.stringContaining('United States'), sources: expect.stringContaining('shipping.md'), confident: true },
      { text: "I don't know.", sources: '[]', confident: false },
    ])
    expect(await forgetCustomer(db, h.projectId, customerId, 'test')).toMatchObject({ assistantAnswers: 2 })
    expect(await db.select({ text: assistantAnswers.text, sources: assistantAnswers.sources }).from(assistantAnswers)).toEqual([
      { text: '', sources: '[]' },
      { text: '', sources: '[]' },
    ])
  })
})
