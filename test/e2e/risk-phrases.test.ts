import { and, desc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { riskPromptsJob } from '../../src/cron/risk-prompts.js'
import { auditEvents, customers, outbox, relayHolds, riskPrompts } from '../../src/db/schema/index.js'
import { ManualClock } from '../../src/domain/clock.js'
import { createApiKey } from '../../src/server/api/api-keys.js'
import { askInGroup, onboard, waitForPrivate, waitForTopicMessage, type OnboardedTopics } from '../support/flows.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { ALLOWED_UNSCOPED, createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'
import { lateBound, useHarness } from '../support/suite.js'

// Project beta's promo code and a wallet are risk phrases of project alpha (an agent working for
// both must not paste them to alpha's customers); "password" must be confirmed by its author.
const BETA_PROMO = 'BETA-SPRING-25'
const yearly = '0 0 1 1 *'
const clock = new ManualClock(new Date('2026-12-07T10:00:00Z'))
const recorder = createQueryRecorder()
const h = useHarness(
  {
    secondBrand: true,
    queryLogger: recorder,
    start: { clock },
    // The sweep runs when a test says so (on the manual clock).
    config: { cron: { riskPrompts: yearly } },
    project: {
      riskPhrases: [
        { name: 'beta-promo', mode: 'block', patterns: [BETA_PROMO, '/0x[0-9a-f]{40}/'] },
        { name: 'password', mode: 'confirm', patterns: ['password'] },
      ],
      riskPrompt: { fallbackSeconds: 60, validMinutes: 10 },
    },
  },
  async (harness) => {
    zoeTopics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north'))
    betaZoeTopics.set(await onboard(harness, harness.beta!.people.zoe, 'zoe@example.com', 'south', { world: harness.beta! }))
  },
)
const zoeTopics = lateBound<OnboardedTopics>('zoe')
const betaZoeTopics = lateBound<OnboardedTopics>('beta zoe')
const [zoe, betaZoe] = [zoeTopics.view, betaZoeTopics.view]

const cs = () => h.world.groups.cs.id
const clientBot = () => h.world.bots.client.id
const people = () => h.world.people
const sweep = () => h.app.cron.runOnce(riskPromptsJob(h.app.deps, h.app.projects, yearly))

/** Staff type in Zoe's CS topic. */
const typeInCs = (userId: number, text: string) => h.sim.sendGroup(userId, cs(), { text }, { threadId: zoe.cs })

/** The risk-hit audit rows of alpha, oldest first, as [phrase, action, text, actor]. */
async function riskHits() {
  const rows = await h.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.projectId, h.projectId), eq(auditEvents.kind, 'risk_hit')))
    .orderBy(auditEvents.id)
  return rows.map((row) => {
    const details = JSON.parse(row.details) as { phrase: string; action: string }
    return [details.phrase, details.action, row.text, row.actorUserId]
  })
}

/** The ephemeral prompt a user sees in Zoe's CS topic for this phrase (the newest). */
function ephemeralPrompt(userId: number) {
  return h.sim
    .seenBy(userId, cs(), { threadId: zoe.cs })
    .ephemeral.filter((m) => m.text.includes('risk phrase'))
    .at(-1)
}

const waitForEphemeralPrompt = (userId: number, since: number) =>
  h.sim.waitFor(() => h.sim.seenBy(userId, cs(), { threadId: zoe.cs }).ephemeral.find((m) => m.ephemeralId > since && m.text.includes('Send it to the client anyway?')), {
    message: 'an ephemeral risk prompt',
  })

const lastEphemeralId = () => ephemeralPrompt(people().alice.id)?.ephemeralId ?? 0
const buttonOf = (markup: { inline_keyboard: Array<Array<{ text: string } & object>> } | undefined, label: string) =>
  (markup?.inline_keyboard.flat().find((b) => b.text === label) as { callback_data: string } | undefined)!.callback_data

const clientSees = (text: string) => h.sim.privateMessages(people().zoe.id, clientBot()).some((m) => m.text?.includes(text))

describe('a block phrase', () => {
  it('keeps a typed message from the client, tells the author which phrase, and audits it', async () => {
    const text = `Use code ${BETA_PROMO} at checkout`
    const typed = typeInCs(people().alice.id, text)
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.reply_to_message_id === typed.message_id && m.text?.includes('"beta-promo"') === true)
    await serviceSettled(h.database.db)
    expect(clientSees(BETA_PROMO)).toBe(false)
    expect((await riskHits()).at(-1)).toEqual(['beta-promo', 'blocked', text, people().alice.id])
  })

  it("stops another project's promo code for the agent working for both, and lets it through in that project", async () => {
    const bob = people().bob.id
    const text = `Here is ${BETA_PROMO} for you`
    const typed = typeInCs(bob, text)
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.reply_to_message_id === typed.message_id && m.text?.includes('"beta-promo"') === true)
    // In beta, where it is the brand's own code, the same agent's message reaches beta's client.
    h.sim.sendGroup(bob, h.beta!.groups.cs.id, { text }, { threadId: betaZoe.cs })
    await waitForPrivate(h, h.beta!.people.zoe.id, h.beta!.bots.client.id, text)
    await serviceSettled(h.database.db)
    expect(clientSees(text)).toBe(false)
    expect((await riskHits()).at(-1)).toEqual(['beta-promo', 'blocked', text, bob])
  })

  it('checks /c canned replies and API messages too (a /regex/ pattern)', async () => {
    const wallet = `Pay to 0x${'ab12'.repeat(10)} today`
    expect((await askInGroup(h, people().alice.id, cs(), `/canned add wallet ${wallet}`)).text).toContain('saved')
    h.sim.sendGroup(people().alice.id, cs(), { text: '/c wallet' }, { threadId: zoe.cs })
    await pollUntil(async () => (await riskHits()).some((hit) => hit[2] === wallet))
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'risk' })
    const apiText = `Code: ${BETA_PROMO.toLowerCase()}`
    const [customer] = await h.database.db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), eq(customers.telegramUserId, people().zoe.id)))
    const answer = await fetch(`http://127.0.0.1:${h.app.adminPort}/api/v1/projects/${h.world.project.key}/customers/${customer!.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: people().carol.id, text: apiText }),
    })
    expect(answer.status).toBe(201)
    expect(await answer.json()).toMatchObject({ delivered: false })
    await serviceSettled(h.database.db)
    expect(clientSees('0xab12')).toBe(false)
    expect(clientSees(apiText)).toBe(false)
    expect((await riskHits()).slice(-2)).toEqual([
      ['beta-promo', 'blocked', wallet, people().alice.id],
      ['beta-promo', 'blocked', apiText, people().carol.id],
    ])
  })
})

describe('a confirm phrase', () => {
  it('holds the message and shows Send anyway / Cancel to its author only; Send anyway relays it', async () => {
    const since = lastEphemeralId()
    const text = 'Your temporary password is tulip-42'
    typeInCs(people().alice.id, text)
    const prompt = await waitForEphemeralPrompt(people().alice.id, since)
    // Nobody else in the topic sees it; the client has nothing yet.
    expect(h.sim.seenBy(people().bob.id, cs(), { threadId: zoe.cs }).ephemeral).toEqual([])
    expect(h.sim.chatMessages(cs(), { threadId: zoe.cs }).some((m) => m.text?.includes('Send it to the client anyway?'))).toBe(false)
    await serviceSettled(h.database.db)
    expect(clientSees(text)).toBe(false)
    const answer = await h.sim.pressEphemeralButton(people().alice.id, cs(), prompt.ephemeralId, buttonOf(prompt.replyMarkup, 'Send anyway'))
    expect(answer?.text).toBe('Sent.')
    await waitForPrivate(h, people().zoe.id, clientBot(), `Alice · CS\n${text}`)
    // The prompt says what became of it, without buttons.
    await h.sim.waitFor(() => ephemeralPrompt(people().alice.id)?.text.startsWith('✅ Sent anyway'))
    expect(ephemeralPrompt(people().alice.id)?.replyMarkup).toBeUndefined()
    expect((await riskHits()).at(-1)).toEqual(['password', 'confirmed', text, people().alice.id])
  })

  it('Cancel keeps it from the client for good', async () => {
    const since = lastEphemeralId()
    const text = 'the admin password is hunter2'
    typeInCs(people().alice.id, text)
    const prompt = await waitForEphemeralPrompt(people().alice.id, since)
    const cancel = buttonOf(prompt.replyMarkup, 'Cancel')
    expect((await h.sim.pressEphemeralButton(people().alice.id, cs(), prompt.ephemeralId, cancel))?.text).toContain('Cancelled')
    await h.sim.waitFor(() => ephemeralPrompt(people().alice.id)?.text.startsWith('✖️ Not sent'))
    const [hold] = await h.database.db.select().from(relayHolds).orderBy(desc(relayHolds.id)).limit(1)
    expect(hold?.state).toBe('discarded')
    // The edited prompt has no buttons left to press.
    expect(() => h.sim.pressEphemeralButton(people().alice.id, cs(), prompt.ephemeralId, cancel)).toThrow(/no button/)
    await serviceSettled(h.database.db)
    expect(clientSees(text)).toBe(false)
    expect((await riskHits()).at(-1)).toEqual(['password', 'cancelled', text, people().alice.id])
  })

  it('holds an edit that brings in a phrase; the relayed original is not unsent, the edit follows on Send anyway', async () => {
    const typed = typeInCs(people().alice.id, 'Your new login is ready')
    await waitForPrivate(h, people().zoe.id, clientBot(), 'Your new login is ready')
    const since = lastEphemeralId()
    const edited = 'Your new login is ready, password: daisy-7'
    h.sim.editMessage(people().alice.id, cs(), typed.message_id, { text: edited })
    const prompt = await waitForEphemeralPrompt(people().alice.id, since)
    await serviceSettled(h.database.db)
    const clientCopy = () => h.sim.privateMessages(people().zoe.id, clientBot()).find((m) => m.text?.includes('Your new login is ready'))
    expect([clientCopy()?.text, clientCopy()?.edited]).toEqual(['Alice · CS\nYour new login is ready', false])
    await h.sim.pressEphemeralButton(people().alice.id, cs(), prompt.ephemeralId, buttonOf(prompt.replyMarkup, 'Send anyway'))
    await h.sim.waitFor(() => clientCopy()?.text === `Alice · CS\n${edited}`)
    expect((await riskHits()).at(-1)).toEqual(['password', 'confirmed', edited, people().alice.id])
  })
})

describe('the prompt when the ephemeral message does not arrive', () => {
  it('is posted as a normal reply when nobody pressed within the fallback delay; only the author may press it', async () => {
    h.sim.setEphemeralDelivery('lose')
    try {
      const text = 'password reset link: example.com/r/1'
      const typed = typeInCs(people().alice.id, text)
      await pollUntil(async () => (await h.database.db.select().from(riskPrompts).where(eq(riskPrompts.text, text))).length === 1)
      await serviceSettled(h.database.db)
      // Telegram accepted it, nobody sees it; before the delay nothing else is posted.
      expect(h.sim.ephemeralSent(cs()).at(-1)?.text).toContain('Send it to the client anyway?')
      await sweep()
      await serviceSettled(h.database.db)
      const replyToTyped = () => h.sim.chatMessages(cs(), { threadId: zoe.cs }).find((m) => m.reply_to_message_id === typed.message_id && m.from.is_bot)
      expect(replyToTyped()).toBeUndefined()
      clock.set(new Date(clock.now().getTime() + 61_000))
      await sweep()
      const fallback = await h.sim.waitFor(() => replyToTyped()?.reply_markup && replyToTyped())
      expect(fallback.text).toContain('"password"')
      const bobsPress = await h.sim.pressButton(people().bob.id, cs(), fallback.message_id, buttonOf(fallback.reply_markup, 'Send anyway'))
      expect(bobsPress).toMatchObject({ text: 'Only the author of the message can answer this.', show_alert: true })
      await serviceSettled(h.database.db)
      expect(clientSees(text)).toBe(false)
      await h.sim.pressButton(people().alice.id, cs(), fallback.message_id, buttonOf(fallback.reply_markup, 'Send anyway'))
      await waitForPrivate(h, people().zoe.id, clientBot(), text)
      await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.message_id === fallback.message_id && m.text?.startsWith('✅ Sent anyway') === true)
    } finally {
      h.sim.setEphemeralDelivery('deliver')
    }
  })

  it('is posted as a normal reply at once when the ephemeral send is refused', async () => {
    h.sim.setEphemeralDelivery('refuse')
    try {
      const text = 'wifi password: orchid'
      const typed = typeInCs(people().alice.id, text)
      let sendRow: number | null | undefined
      await pollUntil(async () => {
        const [prompt] = await h.database.db.select().from(riskPrompts).where(eq(riskPrompts.text, text))
        sendRow = prompt?.ephemeralOutboxId
        if (!sendRow) return false
        const [row] = await h.database.db.select().from(outbox).where(eq(outbox.id, sendRow))
        return row?.state === 'dead'
      })
      await sweep() // no clock move: the refused send is enough
      const fallback = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.reply_to_message_id === typed.message_id && m.reply_markup !== undefined)
      await h.sim.pressButton(people().alice.id, cs(), fallback.message_id, buttonOf(fallback.reply_markup, 'Cancel'))
      await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.message_id === fallback.message_id && m.text?.startsWith('✖️ Not sent') === true)
      expect((await riskHits()).at(-1)).toEqual(['password', 'cancelled', text, people().alice.id])
    } finally {
      h.sim.setEphemeralDelivery('deliver')
    }
  })
})

describe('expiry', () => {
  it('expires an unanswered prompt as cancelled after 10 minutes (the sweep), and a late press is refused', async () => {
    const since = lastEphemeralId()
    const text = 'my password hint: the cat'
    typeInCs(people().alice.id, text)
    const prompt = await waitForEphemeralPrompt(people().alice.id, since)
    clock.set(new Date(clock.now().getTime() + 10 * 60_000 + 1000))
    await sweep()
    await h.sim.waitFor(() => ephemeralPrompt(people().alice.id)?.ephemeralId === prompt.ephemeralId && ephemeralPrompt(people().alice.id)?.text.startsWith('⌛'))
    expect((await riskHits()).at(-1)).toEqual(['password', 'expired', text, people().alice.id])
    const [hold] = await h.database.db.select().from(relayHolds).orderBy(desc(relayHolds.id)).limit(1)
    expect(hold?.state).toBe('discarded')
    await serviceSettled(h.database.db)
    expect(clientSees(text)).toBe(false)
  })

  it('a press after the 10 minutes, before any sweep, expires it too', async () => {
    const since = lastEphemeralId()
    const text = 'reset your password here'
    typeInCs(people().alice.id, text)
    const prompt = await waitForEphemeralPrompt(people().alice.id, since)
    clock.set(new Date(clock.now().getTime() + 11 * 60_000))
    const answer = await h.sim.pressEphemeralButton(people().alice.id, cs(), prompt.ephemeralId, buttonOf(prompt.replyMarkup, 'Send anyway'))
    expect(answer?.text).toContain('expired')
    await serviceSettled(h.database.db)
    expect(clientSees(text)).toBe(false)
    expect((await riskHits()).at(-1)).toEqual(['password', 'expired', text, people().alice.id])
  })
})

describe('/risk', () => {
  it('lists, adds and removes phrases (CS leads), each change audited and applied at once', async () => {
    const list = await askInGroup(h, people().bob.id, cs(), '/risk list')
    expect(list.text).toContain('beta-promo (block)')
    expect(list.text).toContain('password (confirm): password')
    expect((await askInGroup(h, people().bob.id, cs(), '/risk add pin block secret pin')).text).toBe('Only CS leads can change risk phrases.')
    expect((await askInGroup(h, people().alice.id, cs(), '/risk add pin block /(a+/')).text).toContain('not a valid regular expression')
    expect((await askInGroup(h, people().alice.id, cs(), '/risk add pin block secret pin')).text).toContain('"pin" (block)')

    const typed = typeInCs(people().bob.id, 'your SECRET   PIN is 1234')
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.reply_to_message_id === typed.message_id && m.text?.includes('"pin"') === true)

    expect((await askInGroup(h, people().alice.id, cs(), '/risk remove password')).text).toContain('removed')
    expect((await askInGroup(h, people().alice.id, cs(), '/risk remove nothing')).text).toBe('There is no risk phrase "nothing".')
    const after = await askInGroup(h, people().alice.id, cs(), '/risk list')
    expect(after.text).toContain('pin (block): secret pin')
    expect(after.text).not.toContain('password (confirm)')
    // The config's phrase is gone: the word passes now.
    typeInCs(people().alice.id, 'the password field is optional')
    await waitForPrivate(h, people().zoe.id, clientBot(), 'the password field is optional')

    const changes = await h.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, h.projectId), eq(auditEvents.kind, 'risk_phrase_change')))
      .orderBy(auditEvents.id)
    expect(changes.map((row) => [row.actorUserId, JSON.parse(row.details) as unknown])).toEqual([
      [people().alice.id, { phrase: 'pin', change: 'added', mode: 'block' }],
      [people().alice.id, { phrase: 'password', change: 'removed', mode: 'confirm' }],
    ])
  })
})

describe('project scope', () => {
  it('every statement of the risk phrases above reads and writes within its project', async () => {
    const allowed = [
      ...ALLOWED_UNSCOPED,
      // An API key is found by its public id (it says which project it is for), then touched by id.
      /from `api_keys` where \(`api_keys`\.`public_id` = \?/,
      /^update `api_keys` set `last_used_at` = \?, `updated_at` = \? where `api_keys`\.`id` = \?$/,
    ]
    expect(unscopedStatements(recorder.statements, await projectOwnedTables(h.database.db), allowed)).toEqual([])
  })
})
