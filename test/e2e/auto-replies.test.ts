import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers, unansweredWaits } from '../../src/db/schema/index.js'
import { buttonData, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { serviceSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'
import { reloadAutomations } from '../../src/domain/autoreply/automations.js'
import { recordClick } from '../../src/domain/links/clicks.js'
import { createLink } from '../../src/domain/links/links.js'

// Issue 18: the client bot answers before staff are bothered; staff still see the exchange.
const { h, zoe } = useOnboardedZoe({
  project: {
    autoReplies: [
      { match: { keywords: ['opening hours'] }, reply: 'We are open Monday to Friday, 9:00 to 18:00.' },
      { match: { regex: '/refund\\s+policy/' }, reply: 'Refunds are possible within 30 days.', buttons: [{ text: 'Product question', flow: 'inquiry' }] },
    ],
    flows: {
      inquiry: {
        command: 'inquiry',
        steps: [
          { id: 'product', say: 'Which product is it about?', ask: 'product', next: 'order' },
          { id: 'order', say: 'What is your order number?', ask: 'order', next: 'thanks', buttons: [{ text: 'No order number', next: 'thanks' }] },
          { id: 'thanks', say: 'Thank you! A person will look at it.', handoff: true },
        ],
      },
    },
  },
})

const zoeRow = async () => {
  const [row] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id))
  return row!
}
const waitRow = async () => {
  const customer = await zoeRow()
  const [row] = await h.database.db
    .select()
    .from(unansweredWaits)
    .where(and(eq(unansweredWaits.projectId, customer.projectId), eq(unansweredWaits.customerId, customer.id)))
  return row
}
const fromZoe = (text: string) => h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text })
const botSays = (text: string) => waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, text)
const fromBot = (text: string) => h.sim.privateMessages(h.world.people.zoe.id, h.world.bots.client.id).filter((m) => m.from.is_bot && m.text?.includes(text))
/** Does something and waits for the bot's next message containing `text` (earlier ones do not count). */
const thenBotSays = async (text: string, act: () => unknown) => {
  const before = fromBot(text).length
  await act()
  return h.sim.waitFor(() => fromBot(text)[before], { message: `a new "${text}" from the client bot` })
}
const inCr = (pattern: string | RegExp) => waitForTopicMessage(h, zoe.crChat, zoe.cr, pattern)

describe('auto-replies and command flows', () => {
  it('answers a keyword in the client chat and relays the exchange marked, without starting a wait or reopening', async () => {
    await h.database.db
      .update(customers)
      .set({ conversation: 'resolved', resolvedAt: new Date() })
      .where(eq(customers.id, (await zoeRow()).id))
    fromZoe('What are your opening hours?')
    const answer = await botSays('We are open Monday to Friday')
    expect(buttonData(answer, 'Talk to a person')).toMatch(/^fl:p:/)
    const copy = await inCr('What are your opening hours?')
    expect(copy.text).toBe('🤖 auto-answered\nWhat are your opening hours?')
    const shown = await inCr('🤖 We are open')
    expect(shown.reply_to_message_id).toBe(copy.message_id)
    await serviceSettled(h.database.db)
    expect((await waitRow())?.waitingSince ?? null).toBeNull()
    expect((await zoeRow()).conversation).toBe('resolved')

    // "Talk to a person": a normal relayed message; the wait starts and the conversation reopens.
    await h.sim.pressButton(h.world.people.zoe.id, h.world.bots.client.id, answer.message_id, buttonData(answer, 'Talk to a person'))
    const handoff = await inCr('🙋 Talk to a person')
    expect(handoff.text).toBe('🙋 Talk to a person')
    await serviceSettled(h.database.db)
    expect((await waitRow())?.waitingSince).toBeInstanceOf(Date)
    expect((await zoeRow()).conversation).toBe('open')
    // A staff reply to the handoff's copy reaches Zoe (the handoff has no original in her chat to reply to).
    h.sim.sendGroup(h.world.people.carol.id, zoe.crChat, { text: 'Hi Zoe, Carol here.' }, { threadId: zoe.cr, replyTo: handoff.message_id })
    await botSays('Hi Zoe, Carol here.')
  })

  it('runs a two-step flow started by a command, stores both answers on the profile card, then hands over', async () => {
    await serviceSettled(h.database.db)
    expect((await waitRow())?.waitingSince ?? null).toBeNull()
    fromZoe('/inquiry')
    await botSays('Which product is it about?')
    fromZoe('Desk lamp')
    await botSays('What is your order number?')
    fromZoe('A-1234')
    await botSays('Thank you! A person will look at it.')
    const card = await h.sim.waitFor(() =>
      h.sim.chatMessages(zoe.crChat, { threadId: zoe.cr }).find((m) => m.text?.startsWith('👤') && m.text.includes('Answers: order: A-1234 · product: Desk lamp')),
    )
    expect(card.text).toContain('Answers: order: A-1234 · product: Desk lamp')
    expect((await inCr(/^🤖 auto-answered\nDesk lamp$/)).text).toBe('🤖 auto-answered\nDesk lamp')
    // The last step hands over: staff are now expected to answer.
    await inCr('🙋 Talk to a person')
    await serviceSettled(h.database.db)
    expect((await waitRow())?.waitingSince).toBeInstanceOf(Date)
  })

  it('starts a flow from an auto-reply button (a /regex/ match); a typed /command no flow has answers the waiting question', async () => {
    const answer = await thenBotSays('Refunds are possible within 30 days.', () => fromZoe('What is your REFUND   policy?'))
    await thenBotSays('Which product is it about?', () =>
      h.sim.pressButton(h.world.people.zoe.id, h.world.bots.client.id, answer.message_id, buttonData(answer, 'Product question')),
    )
    const shown = await inCr(/pressed «Product question»/)
    expect(shown.text).toMatch(/^Zoe .*pressed «Product question»\n🤖 Which product is it about\?\n\[Talk to a person\]$/)
    await thenBotSays('What is your order number?', () => fromZoe('Actually, the chair'))
    fromZoe('/refund')
    // A flow command the project does not have, typed while a question waits: it is the answer.
    expect((await inCr(/\/refund/)).text).toBe('🤖 auto-answered\n/refund')
  })

  it('stores the label of a pressed step button as the answer', async () => {
    await thenBotSays('Which product is it about?', () => fromZoe('/inquiry'))
    const question = await thenBotSays('What is your order number?', () => fromZoe('Sofa'))
    await thenBotSays('Thank you! A person will look at it.', () =>
      h.sim.pressButton(h.world.people.zoe.id, h.world.bots.client.id, question.message_id, buttonData(question, 'No order number')),
    )
    await h.sim.waitFor(() =>
      h.sim.chatMessages(zoe.crChat, { threadId: zoe.cr }).find((m) => m.text?.startsWith('👤') && m.text.includes('Answers: order: No order number · product: Sofa')),
    )
  })

  it('starts the flow of a diversion link at its /start', async () => {
    const link = await createLink(h.database.db, { projectId: h.projectId }, { name: 'Spring ads', params: {}, createdBy: null })
    const token = await recordClick(h.database.db, link, { ip: undefined, userAgent: undefined, referrer: undefined, query: {} }, new Date())
    const [project] = h.app.projects
    reloadAutomations(project!, {
      autoReplies: [],
      flows: { spring: { link: link.code, steps: [{ id: 'hi', say: 'Welcome from our spring campaign! What caught your eye?', ask: 'interest' }] } },
    })
    await thenBotSays('Welcome from our spring campaign!', () => fromZoe(`/start ${token}`))
    await inCr('🤖 Welcome from our spring campaign!')
    fromZoe('The lamps')
    await h.sim.waitFor(() => h.sim.chatMessages(zoe.crChat, { threadId: zoe.cr }).find((m) => m.text?.startsWith('👤') && m.text.includes('interest: The lamps')))
  })

  it("refuses a banned client's old buttons", async () => {
    const [old] = fromBot('We are open Monday to Friday')
    await h.database.db
      .update(customers)
      .set({ banned: true })
      .where(eq(customers.id, (await zoeRow()).id))
    const answer = await h.sim.pressButton(h.world.people.zoe.id, h.world.bots.client.id, old!.message_id, buttonData(old!, 'Talk to a person'))
    expect(answer?.text).toBe('This button is no longer valid.')
    await h.database.db
      .update(customers)
      .set({ banned: false })
      .where(eq(customers.id, (await zoeRow()).id))
  })
})
