import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assistantJobs, assistantSuggestions, assistantTokenUsage, customers } from '../../src/db/schema/index.js'
import { usageDay } from '../../src/assistant/token-ledger.js'
import { exportCustomerData, forgetCustomer } from '../../src/domain/personal-data.js'
import { askInGroup, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// Suggest mode against the fake provider and the fixture's knowledge base; Bob (CS) owns Zoe.
const { h, zoe } = useOnboardedZoe(
  {
    openai: { flavour: 'openai', assistant: { timeoutSeconds: 2, maxTokensPerDay: 1_000_000 } },
    project: {
      assistant: { knowledge: 'test/fixtures/kb/acme' },
      riskPhrases: [{ name: 'password', mode: 'confirm', patterns: ['password'] }],
    },
  },
  async (harness) => {
    await harness.app.knowledge
    await harness.database.db.update(customers).set({ ownerUserId: harness.world.people.bob.id }).where(eq(customers.telegramUserId, harness.world.people.zoe.id))
  },
)

const cs = () => h.world.groups.cs.id
const people = () => h.world.people
const ask = (text: string) => h.sim.sendPrivate(people().zoe.id, h.world.bots.client.id, { text })
const clientSees = (text: string) => h.sim.privateMessages(people().zoe.id, h.world.bots.client.id).some((m) => m.text?.includes(text))

async function suggestionRows() {
  return h.database.db.select().from(assistantSuggestions).where(eq(assistantSuggestions.projectId, h.projectId)).orderBy(assistantSuggestions.id)
}
/** The newest suggestion row, once there is one newer than `after`. */
async function newSuggestion(after: number) {
  await pollUntil(async () => (await suggestionRows()).some((row) => row.id > after), { message: 'a suggestion was recorded' })
  return (await suggestionRows()).at(-1)!
}
const lastSuggestionId = async () => (await suggestionRows()).at(-1)?.id ?? 0
/** The suggestion's ephemeral message as Bob sees it in Zoe's CS topic. */
const bobsSuggestion = (id: number) =>
  h.sim.waitFor(
    () =>
      h.sim
        .seenBy(people().bob.id, cs(), { threadId: zoe.cs })
        .ephemeral.find((m) => m.replyMarkup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data?.startsWith(`sg:${id}:`))),
    { message: `Bob sees suggestion ${id}` },
  )
const buttonOf = (markup: { inline_keyboard: Array<Array<{ text: string } & object>> } | undefined, label: string) =>
  (markup?.inline_keyboard.flat().find((b) => b.text.includes(label)) as { callback_data: string } | undefined)!.callback_data
async function jobOf(kind: string, after: number) {
  await pollUntil(async () => (await h.database.db.select().from(assistantJobs)).some((j) => j.id > after && j.kind === kind && ['done', 'failed'].includes(j.state)), {
    message: `a ${kind} job ended`,
  })
  return (await h.database.db.select().from(assistantJobs).orderBy(assistantJobs.id)).filter((j) => j.id > after && j.kind === kind).at(-1)!
}
const lastJobId = async () => Math.max(0, ...(await h.database.db.select({ id: assistantJobs.id }).from(assistantJobs)).map((j) => j.id))

/** The body of the fake provider's last chat request. */
const lastChatBody = () => h.openai!.chatRequests().at(-1)!.body as { messages: Array<{ role: string; content: string }> }

const ACCOUNT_QUESTION = 'How do I delete my account and personal data?'

describe('suggest mode', () => {
  it('a suggestion with its citation appears to the owner only; Send relays it attributed to the presser; the prompt held the passage', async () => {
    const since = await lastSuggestionId()
    ask(ACCOUNT_QUESTION)
    await waitForTopicMessage(h, cs(), zoe.cs, ACCOUNT_QUESTION)
    const row = await newSuggestion(since)
    expect(row).toMatchObject({ state: 'shown', receiverUserId: people().bob.id })
    // The fake answers with the passage's first sentence and its [N]; the [N] is shown as the source, not sent.
    expect(row.text).toBe('You can close your account under Account settings → Privacy → Delete account.')
    expect(JSON.parse(row.sources)).toEqual(['accounts.md#Your account > Deleting your account'])
    // The prompt quoted the knowledge base's passage and the client's question.
    const request = lastChatBody()
    expect(request.messages[0]!.content).toMatch(/<passage id="\d+" source="accounts.md#Your account > Deleting your account">You can close your account/)
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: ACCOUNT_QUESTION })

    const shown = await bobsSuggestion(row.id)
    expect(shown.text).toContain(row.text)
    expect(shown.text).toContain('📚 Sources: accounts.md#Your account > Deleting your account')
    // Nobody else sees it: not Alice, and no normal message in the topic.
    expect(h.sim.seenBy(people().alice.id, cs(), { threadId: zoe.cs }).ephemeral.some((m) => m.text.includes(row.text))).toBe(false)
    expect(h.sim.chatMessages(cs(), { threadId: zoe.cs }).some((m) => m.text?.includes('Suggested reply'))).toBe(false)
    expect(clientSees(row.text)).toBe(false)

    const answer = await h.sim.pressEphemeralButton(people().bob.id, cs(), shown.ephemeralId, buttonOf(shown.replyMarkup, 'Send'))
    expect(answer?.text).toBe('Sent to the client.')
    const got = await waitForPrivate(h, people().zoe.id, h.world.bots.client.id, row.text)
    expect(got.text).toContain('Bob')
    await pollUntil(async () => (await suggestionRows()).find((r) => r.id === row.id)?.state === 'sent', { message: 'recorded as sent' })
    expect((await suggestionRows()).find((r) => r.id === row.id)).toMatchObject({ state: 'sent', decidedBy: people().bob.id })
    await h.sim.waitFor(() => ephemeralText(shown.ephemeralId)?.includes('✅ Sent by Bob.'), { message: 'the suggestion says who sent it' })
  })

  it("Edit asks with a ForceReply prompt; the presser's answer (no reply_to_message needed) is relayed and the suggestion recorded as edited", async () => {
    const since = await lastSuggestionId()
    ask('How long is the password reset link valid?')
    const row = await newSuggestion(since)
    const shown = await bobsSuggestion(row.id)
    await h.sim.pressEphemeralButton(people().bob.id, cs(), shown.ephemeralId, buttonOf(shown.replyMarkup, 'Edit'))
    const prompt = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text?.startsWith('✏️ Bob, reply to this message') === true)
    expect(prompt.text).toContain(row.text)
    h.sim.sendGroup(people().bob.id, cs(), { text: 'The reset link works for one hour, Zoe.' }, { threadId: zoe.cs })
    await waitForPrivate(h, people().zoe.id, h.world.bots.client.id, 'The reset link works for one hour, Zoe.')
    await pollUntil(async () => (await suggestionRows()).find((r) => r.id === row.id)?.state === 'edited', { message: 'recorded as edited' })
    expect(clientSees(row.text)).toBe(false)

    // The usual way: a reply to the bot's ForceReply prompt (matched the same way, by chat, author and pending Edit).
    ask('How long is the email confirmation link valid?')
    const next = await newSuggestion(row.id)
    const nextShown = await bobsSuggestion(next.id)
    await h.sim.pressEphemeralButton(people().bob.id, cs(), nextShown.ephemeralId, buttonOf(nextShown.replyMarkup, 'Edit'))
    const nextPrompt = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.message_id > prompt.message_id && m.text?.startsWith('✏️ Bob, reply to this message') === true)
    h.sim.sendGroup(people().bob.id, cs(), { text: 'The confirmation link works for 24 hours.' }, { threadId: zoe.cs, replyTo: nextPrompt.message_id })
    await waitForPrivate(h, people().zoe.id, h.world.bots.client.id, 'The confirmation link works for 24 hours.')
    await pollUntil(async () => (await suggestionRows()).find((r) => r.id === next.id)?.state === 'edited', { message: 'the reply to the prompt recorded as edited' })
  })

  it('Dismiss records it and sends nothing; a newer client message supersedes an unanswered suggestion, a reply typed by hand ignores it', async () => {
    let since = await lastSuggestionId()
    ask('Can I change my email address?')
    const dismissed = await newSuggestion(since)
    const shown = await bobsSuggestion(dismissed.id)
    expect((await h.sim.pressEphemeralButton(people().bob.id, cs(), shown.ephemeralId, buttonOf(shown.replyMarkup, 'Dismiss')))?.text).toBe('Dismissed.')
    await pollUntil(async () => (await suggestionRows()).find((r) => r.id === dismissed.id)?.state === 'dismissed', { message: 'recorded as dismissed' })

    since = await lastSuggestionId()
    ask('My account is locked, what now?')
    const first = await newSuggestion(since)
    ask('I tried five wrong passwords in a row')
    const second = await newSuggestion(first.id)
    expect((await suggestionRows()).find((r) => r.id === first.id)?.state).toBe('ignored')
    h.sim.sendGroup(people().alice.id, cs(), { text: 'Wait 30 minutes and try again.' }, { threadId: zoe.cs })
    await pollUntil(async () => (await suggestionRows()).find((r) => r.id === second.id)?.state === 'ignored', { message: 'a typed reply ignores it' })
    expect(clientSees(dismissed.text) || clientSees(first.text)).toBe(false)
  })

  it('a suggestion holding a confirm risk phrase is held after Send, like a typed message', async () => {
    const since = await lastSuggestionId()
    ask('I forgot my password')
    const row = await newSuggestion(since)
    expect(row.text.toLowerCase()).toContain('password')
    const shown = await bobsSuggestion(row.id)
    await h.sim.pressEphemeralButton(people().bob.id, cs(), shown.ephemeralId, buttonOf(shown.replyMarkup, 'Send'))
    await h.sim.waitFor(() => h.sim.seenBy(people().bob.id, cs(), { threadId: zoe.cs }).ephemeral.find((m) => m.text.includes('Send it to the client anyway?')), {
      message: 'Bob is asked to confirm the risk phrase',
    })
    expect(clientSees(row.text)).toBe(false)
  })

  it('/ask answers staff in the topic with its sources, never the client', async () => {
    const sent = h.sim.sendGroup(people().alice.id, cs(), { text: '/ask how long do refunds take?' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === '🤖 Thinking…' && m.reply_to_message_id === sent.message_id)
    const answer = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text?.startsWith('🤖 For staff only') === true)
    expect(answer.reply_to_message_id).toBe(sent.message_id)
    expect(answer.text).toMatch(/📚 Sources: returns-refunds\.md/)
    expect(lastChatBody().messages.at(-1)).toEqual({ role: 'user', content: 'how long do refunds take?' })
    expect(clientSees('For staff only')).toBe(false)
  })

  it('a provider timeout, a 429 and the token cap: the message is relayed at once, no suggestion, the metric counts it', async () => {
    for (const [setUp, outcome] of [
      [() => h.openai!.delay(5_000), 'timeout'],
      // 429s for the question's embedding (three tries, then FULLTEXT alone) and the suggestion's three.
      [() => h.openai!.rateLimit(6, 0), 'rate_limited'],
    ] as const) {
      const since = await lastSuggestionId()
      const jobsBefore = await lastJobId()
      setUp()
      const text = `Where is my order? (${outcome})`
      const sentAt = Date.now()
      ask(text)
      await waitForTopicMessage(h, cs(), zoe.cs, text)
      expect(Date.now() - sentAt).toBeLessThan(2_000)
      expect(await jobOf('suggest', jobsBefore)).toMatchObject({ state: 'failed', outcome })
      h.openai!.delay(0)
      expect(await lastSuggestionId()).toBe(since)
      expect(await h.app.metrics.registry.metrics()).toMatch(
        new RegExp(
          `topicdesk_assistant_requests_total\\{[^}]*purpose="suggest"[^}]*outcome="${outcome}"|topicdesk_assistant_requests_total\\{[^}]*outcome="${outcome}"[^}]*purpose="suggest"`,
        ),
      )
    }
    // The day's tokens are spent: no call at all.
    const calls = h.openai!.chatRequests().length
    await h.database.db
      .insert(assistantTokenUsage)
      .values({ projectId: h.projectId, day: usageDay(h.app.deps.clock.now()), tokens: 1_000_000 })
      .onDuplicateKeyUpdate({ set: { tokens: 1_000_000 } })
    const jobsBefore = await lastJobId()
    ask('Where is my order? (cap)')
    await waitForTopicMessage(h, cs(), zoe.cs, 'Where is my order? (cap)')
    expect(await jobOf('suggest', jobsBefore)).toMatchObject({ state: 'failed', outcome: 'cap_reached' })
    expect(h.openai!.chatRequests().length).toBe(calls)
    await h.database.db.delete(assistantTokenUsage).where(and(eq(assistantTokenUsage.projectId, h.projectId)))
  })
})

/** The normal 🤖 message of a suggestion in Zoe's CS topic (the fallback, or the no-owner form). */
const postedSuggestion = (id: number) =>
  waitForTopicMessage(h, cs(), zoe.cs, (m) => m.reply_markup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data?.startsWith(`sg:${id}:`)) === true)
const zoeId = async () => (await h.database.db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, people().zoe.id)))[0]!.id

describe('suggest mode: fallback, no owner, /stats, personal data', () => {
  it('a refused ephemeral send falls back to a normal 🤖 message in the topic', async () => {
    h.sim.setEphemeralDelivery('refuse')
    const since = await lastSuggestionId()
    ask('How do I turn on two-factor authentication?')
    const row = await newSuggestion(since)
    expect(row.receiverUserId).toBe(people().bob.id)
    const posted = await postedSuggestion(row.id)
    h.sim.setEphemeralDelivery('deliver')
    expect(posted.text).toContain('🤖 Suggested reply')
    expect(posted.text).toContain(row.text)
    expect((await h.sim.pressButton(people().bob.id, cs(), posted.message_id, buttonOf(posted.reply_markup, 'Dismiss')))?.text).toBe('Dismissed.')
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.message_id === posted.message_id && m.text?.includes('Dismissed by Bob') === true)
  })

  it('no owner: a normal 🤖 message in the CS topic for its people; forged data is refused; a CS lead sends it in her name', async () => {
    await h.database.db.update(customers).set({ ownerUserId: null }).where(eq(customers.telegramUserId, people().zoe.id))
    const since = await lastSuggestionId()
    ask('Can I order as a guest without an account?')
    const row = await newSuggestion(since)
    expect(row.receiverUserId).toBeNull()
    const posted = await postedSuggestion(row.id)
    const forged = await h.sim.pressButton(people().alice.id, cs(), posted.message_id, `sg:${row.id}:${row.customerId + 1}:send`, { forged: true })
    expect(forged?.text).toBeTruthy()
    expect((await suggestionRows()).find((r) => r.id === row.id)?.state).toBe('shown')
    await h.sim.pressButton(people().alice.id, cs(), posted.message_id, buttonOf(posted.reply_markup, 'Send'))
    const got = await waitForPrivate(h, people().zoe.id, h.world.bots.client.id, row.text)
    expect(got.text).toContain('Alice')
    await h.database.db.update(customers).set({ ownerUserId: people().bob.id }).where(eq(customers.telegramUserId, people().zoe.id))
  })

  it('/stats shows the acceptance rate: sent as is and edited over shown', async () => {
    const rows = await suggestionRows()
    const n = (state: string) => rows.filter((r) => r.state === state).length
    const accepted = n('sent') + n('edited')
    expect(n('sent')).toBeGreaterThan(0)
    expect(n('edited')).toBeGreaterThan(0)
    const answer = await askInGroup(h, people().alice.id, cs(), '/stats')
    expect(answer.text).toContain(
      `🤖 Suggestions: ${accepted} of ${rows.length} used (${Math.round((accepted / rows.length) * 100)}%): ${n('sent')} sent as is, ${n('edited')} edited, ${n('dismissed')} dismissed, ${n('ignored')} ignored.`,
    )
  })

  it('customer export lists the suggestions; forget erases their texts', async () => {
    const customerId = await zoeId()
    const rows = await suggestionRows()
    const exported = await exportCustomerData(h.database.db, h.projectId, customerId, 'test', new Date())
    expect(exported?.suggestions.map((s) => s.text)).toEqual(rows.map((r) => r.text))
    expect(await forgetCustomer(h.database.db, h.projectId, customerId, 'test')).toMatchObject({ suggestions: rows.length })
    expect((await suggestionRows()).every((r) => r.text === '' && r.sources === '[]')).toBe(true)
  })
})

/** The text of Bob's ephemeral message in Zoe's CS topic now (edited when decided). */
function ephemeralText(ephemeralId: number): string | undefined {
  return h.sim.seenBy(people().bob.id, cs(), { threadId: zoe.cs }).ephemeral.find((m) => m.ephemeralId === ephemeralId)?.text
}
