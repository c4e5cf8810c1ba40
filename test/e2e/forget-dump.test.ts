import { userInfo } from 'node:os'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog, customers, outbox, relayLinks, messages, topics, updates } from '../../src/db/schema/index.js'
import { decodeDestination } from '../../src/delivery/destination.js'
import { exportCustomerData } from '../../src/domain/personal-data.js'
import { enqueueTo } from '../../src/domain/enqueue-to.js'
import { CANCELLED_BY_ERASURE } from '../../src/domain/forget/outbox-rows.js'
import { sendDueReminders } from '../../src/domain/sla/reminders.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import { createLink } from '../../src/domain/links/links.js'
import type { SimUser } from '../../src/simulator/index.js'
import { customerCli } from '../../src/cli/customer.js'
import { runCli } from '../support/cli.js'
import { dumpDatabase } from '../support/dump.js'
import { askInGroup, buttonData, cardAssignmentId, onboard, waitForPrivate, waitForTopic, waitForTopicMessage } from '../support/flows.js'
import { outboxSettled, pollUntil, serviceSettled } from '../support/poll.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * Issue 16, "Personal data": after `customer forget`, a dump of every table of the database holds
 * nothing of what Zoe said or is (name, username, email, phone, her messages, the staff's note, tag
 * and transfer reason), after she went through everything that stores such things. Her Telegram
 * id stays only in the key columns listed below; Yuri, another customer, keeps all of his.
 */
const benUser = lateBound<SimUser>('Ben')
const h = useHarness(
  {
    project: {
      resolve: { askRating: true, ratingPrompt: 'How did we do? Rate this conversation from 1 to 5.' },
      // Her Spanish message is translated for the staff (issue 19): the translation is hers too.
      translation: { staffLanguage: 'en' },
    },
    openai: { assistant: { mode: 'off' } },
    // Her link click comes through a proxy that names her address.
    config: { links: { trustedProxies: ['127.0.0.1'] } },
    prepare: (sim, world) => {
      const user = sim.createUser({ firstName: 'Ben', username: 'ben_cr' })
      sim.addMember(world.groups.north.id, user.id)
      benUser.set(user)
      return { agents: [{ id: user.id, name: 'Ben', projects: { acme: { roles: ['cr'], teams: ['north'] } } }] }
    },
  },
  async (harness) => {
    const { sim, world } = harness
    const yuri = await onboard(harness, world.people.yuri, 'yuri@example.com', 'south')
    sim.sendPrivate(world.people.yuri.id, world.bots.client.id, { text: 'Yuri asks about the reading lamp' })
    await waitForTopicMessage(harness, world.groups.south.id, yuri.cr, 'reading lamp')
    sim.sendGroup(world.people.dave.id, world.groups.south.id, { text: 'The lamp ships Monday, Yuri' }, { threadId: yuri.cr })
    await waitForPrivate(harness, world.people.yuri.id, world.bots.client.id, 'The lamp ships Monday')
    // Left unanswered: Yuri is escalated with Zoe below.
    sim.sendPrivate(world.people.yuri.id, world.bots.client.id, { text: 'Yuri again: which Monday?' })
    await waitForTopicMessage(harness, world.groups.south.id, yuri.cr, 'which Monday')
  },
)

/** `npm run customer`, in this process (test/cli/customer-data.test.ts runs it as its own process too). */
const run = async (...args: string[]) => {
  const outcome = await runCli(customerCli, args, { DATABASE_URL: h.database.url })
  expect(outcome.code, outcome.stderr).toBe(0)
  return outcome
}

/** What Zoe is and said, and what the staff wrote about her: none of it may survive the erasure. */
const zoeSecrets = {
  firstName: 'Zoe',
  lastName: 'Quinn',
  username: 'zoeq',
  email: 'zoe@example.com',
  phoneInText: '+31 6 1234 5678',
  phoneShared: '+31612345678',
  message: 'call me after six about the blue sofa',
  caption: 'photo of the scratched armrest',
  reply: 'parcel ZX-881 left Utrecht',
  failedMessage: 'is parcel ZX-881 lost in Zwolle',
  note: 'lives at 12 Elm Street',
  tag: 'sofafan',
  reason: 'she speaks Frisian at home',
  deleted: 'parcel QQ-12 went to Delft',
  clickAddress: '192.0.2.77',
  userAgent: 'ZoeReader/4.2 (Kobo Clara)',
  referrer: 'https://zoe-blog.example/post',
  clickParam: 'zoe-fbclid-991',
  spanish: 'el sofá azul llegó con una pata rota',
  translated: 'the blue sofa arrived with a broken leg',
}
/** Where her Telegram id may stay: keys that tie the anonymous rows together, and the outbox's ordering key. */
const telegramIdColumns = ['customers.telegram_user_id', 'messages.chat_id', 'messages.sender_user_id', 'relay_links.chat_id', 'outbox.destination']
/** The imported account record stays (the brand's own data, re-imported by the records sync anyway). */
const keptTables = ['accounts']

describe('customer forget: a full database dump afterwards', () => {
  it('holds no personal data of the customer, while another customer keeps all of theirs', async () => {
    const { sim, world } = h
    const { db } = h.database
    const zoeId = world.people.zoe.id
    const clientBot = world.bots.client.id
    const cs = world.groups.cs.id
    const north = world.groups.north.id
    const south = world.groups.south.id

    // She comes through a diversion link (her address, user agent and referrer stored with the click).
    const link = await createLink(db, { projectId: h.projectId }, { name: 'Spring ads', params: {}, createdBy: null })
    const click = await fetch(`http://127.0.0.1:${h.app.publicPort}/l/${link.code}?fbclid=${zoeSecrets.clickParam}`, {
      redirect: 'manual',
      headers: { 'x-forwarded-for': zoeSecrets.clickAddress, 'user-agent': zoeSecrets.userAgent, referer: zoeSecrets.referrer },
    })
    const token = new URL(click.headers.get('location')!).searchParams.get('start')!
    // Onboarding, with first a try of an account linked to someone else (CS is alerted, naming her).
    sim.sendPrivate(zoeId, clientBot, { text: `/start ${token}` })
    await waitForPrivate(h, zoeId, clientBot, 'email')
    sim.sendPrivate(zoeId, clientBot, { text: 'yuri@example.com' })
    await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.text?.startsWith('⚠️ Zoe Quinn (@zoeq)')), { message: 'the link-conflict alert' })
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    await outboxSettled(db)
    const [customer] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), eq(customers.telegramUserId, zoeId)))
    const acme = h.app.projects.find((p) => p.id === h.projectId)!
    await db.transaction((tx) => changeOwner(tx, acme, customer!.id, { to: world.people.carol.id, by: null, reason: 'routing' }))

    // Messages both ways: a text, a shared contact, a photo, and the owner's answer.
    sim.sendPrivate(zoeId, clientBot, { text: `${zoeSecrets.message}, my phone is ${zoeSecrets.phoneInText}` })
    sim.sendPrivate(zoeId, clientBot, { contact: { phone_number: zoeSecrets.phoneShared, first_name: 'Zoe', last_name: 'Quinn' } })
    sim.sendPrivate(zoeId, clientBot, { photo: { bytes: Buffer.from('armrest') }, caption: zoeSecrets.caption })
    await waitForTopicMessage(h, north, zoe.cr, zoeSecrets.caption)
    // Unanswered for hours: her owner is reminded in her topic, the CS leads in the Onboarding topic (with Yuri).
    await outboxSettled(db)
    const later = { now: () => new Date(Date.now() + 3 * 3600_000) }
    expect(await sendDueReminders({ ...h.app.deps, clock: later }, acme)).toMatchObject({ escalation: 2 })
    await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.text?.startsWith('🚨 Zoe Quinn')), { message: 'the escalation' })
    sim.sendGroup(world.people.carol.id, north, { text: zoeSecrets.reply }, { threadId: zoe.cr })
    await waitForPrivate(h, zoeId, clientBot, zoeSecrets.reply)
    // A CS lead approves her question and that answer into the knowledge base (/kb add on the answer's mirror).
    const answerMirror = await waitForTopicMessage(h, cs, zoe.cs, (m) => m.text?.endsWith(zoeSecrets.reply) === true)
    sim.sendGroup(world.people.alice.id, cs, { text: '/kb add' }, { threadId: zoe.cs, replyTo: answerMirror.message_id })
    await waitForTopicMessage(h, cs, zoe.cs, (m) => m.text?.startsWith('📚 Added to the knowledge base') === true)
    // A reply sent by mistake and deleted with /delete: the audit trail keeps what it said (until forget).
    const mistake = sim.sendGroup(world.people.carol.id, north, { text: zoeSecrets.deleted }, { threadId: zoe.cr })
    const mistakeAtClient = await waitForPrivate(h, zoeId, clientBot, zoeSecrets.deleted)
    sim.sendGroup(world.people.carol.id, north, { text: '/delete' }, { threadId: zoe.cr, replyTo: mistake.message_id })
    await sim.waitFor(() => sim.privateMessages(zoeId, clientBot, { includeDeleted: true }).find((m) => m.message_id === mistakeAtClient.message_id && m.deleted))

    // A tag and a note on her profile (the cards are edited), a transfer with a reason.
    sim.sendGroup(world.people.bob.id, cs, { text: `/tag ${zoeSecrets.tag}` }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, `🏷 Tags: #${zoeSecrets.tag}`)
    sim.sendGroup(world.people.bob.id, cs, { text: `/note ${zoeSecrets.note}` }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, '📝 Note added to the profile.')
    const prompt = await askInGroup(h, world.people.carol.id, north, `/transfer ${zoeSecrets.reason}`, zoe.cr)
    await sim.pressButton(world.people.carol.id, north, prompt.message_id, buttonData(prompt, 'Ben'))
    await waitForTopicMessage(h, north, zoe.cr, (m) => m.text?.startsWith('👤 Owner: Carol → Ben') === true)

    // A reassignment replays her history under "↩ Zoe Quinn" headers; the new topic's profile card cannot be posted (dead-lettered).
    await outboxSettled(db)
    sim.failNext({ token: world.bots.cr.token, method: 'sendMessage', chatId: south, error_code: 400, description: 'Bad Request: USER_ID_INVALID (@zoeq)' })
    sim.sendGroup(world.people.alice.id, cs, { text: '/reassign south now' }, { threadId: zoe.cs })
    const southTopic = await waitForTopic(h, south, 'Zoe Quinn')
    await waitForTopicMessage(h, south, southTopic.message_thread_id, (m) => m.text?.includes(zoeSecrets.message) === true)
    await outboxSettled(db)
    const dead = await db.select().from(outbox).where(eq(outbox.state, 'dead'))
    expect(dead.map((row) => JSON.parse(row.job) as { purpose?: { kind: string } }).map((job) => job.purpose?.kind)).toEqual(['profile_card'])

    // A message in Spanish: relayed, then translated for the staff (a cached translation, a variant on each copy).
    h.openai!.answer(zoeSecrets.spanish, zoeSecrets.translated)
    sim.sendPrivate(zoeId, clientBot, { text: zoeSecrets.spanish })
    await waitForTopicMessage(h, south, southTopic.message_thread_id, (m) => m.text?.includes(`🌐 ${zoeSecrets.translated}`) === true)

    // Resolved and rated by her.
    sim.sendGroup(world.people.alice.id, cs, { text: '/resolve' }, { threadId: zoe.cs })
    const ratingPrompt = await waitForPrivate(h, zoeId, clientBot, 'How did we do?')
    await sim.pressButton(zoeId, clientBot, ratingPrompt.message_id, buttonData(ratingPrompt, '4'))
    await waitForTopicMessage(h, cs, zoe.cs, '⭐ Zoe Quinn rated the conversation 4/5')

    // An update whose handling fails (the messages table is away) is parked with its error.
    await serviceSettled(db)
    await db.execute(sql`RENAME TABLE messages TO messages_away`)
    sim.sendPrivate(zoeId, clientBot, { text: zoeSecrets.failedMessage })
    await pollUntil(
      async () =>
        (
          await db
            .select()
            .from(updates)
            .where(and(eq(updates.botId, clientBot), sql`${updates.attempts} >= 1`, sql`${updates.payload} LIKE '%Zwolle%'`))
        ).length === 1,
    )
    await db
      .update(updates)
      .set({ state: 'failed', attempts: 5 })
      .where(and(eq(updates.botId, clientBot), sql`${updates.payload} LIKE '%Zwolle%'`))
    await db.execute(sql`RENAME TABLE messages_away TO messages`)
    await serviceSettled(db)

    // A notice to her that is not due yet: the erasure cancels it.
    const waiting = await enqueueTo(
      db,
      acme,
      { kind: 'client', chatId: zoeId },
      { type: 'text', target: { kind: 'chat', chatId: zoeId }, text: `Later: ${zoeSecrets.reply}` },
      { delayMs: 3_600_000 },
    )

    // Yuri's own update that merely quotes her (a story of hers he forwarded): it stays his.
    const yuriId = world.people.yuri.id
    const yuriChat = { id: yuriId, type: 'private', first_name: 'Yuri' }
    const story = {
      message_id: 9_999,
      date: 1,
      chat: yuriChat,
      from: { ...yuriChat, is_bot: false },
      story: { chat: { id: zoeId, type: 'private' }, id: 1 },
      caption: FORWARDED_STORY,
    }
    await db
      .insert(updates)
      .values({ botId: clientBot, updateId: 999_999_999, projectId: h.projectId, payload: JSON.stringify({ update_id: 999_999_999, message: story }), state: 'handled' })

    // Yuri's rows before the erasure: they must stay exactly as they are.
    const [yuri] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), eq(customers.telegramUserId, world.people.yuri.id)))
    const yuriRows = () => rowsOf(yuri!.id, world.people.yuri.id)
    const yuriBefore = await yuriRows()
    expect(JSON.stringify(yuriBefore.messages)).toContain('reading lamp')
    expect(JSON.stringify(yuriBefore.outbox)).toContain('Yuri Petrov')

    // What the erasure must reach, present before it: cards naming her, a replay header, her topics'
    // updates in the staff bots, the parked update's error and the dead card's error quoting her.
    const cards = await db
      .select()
      .from(outbox)
      .where(sql`${outbox.job} LIKE '%Zoe Quinn%'`)
    expect(cards.length).toBeGreaterThan(0)
    expect((await db.select().from(relayLinks)).some((link) => link.header?.startsWith('↩ Zoe Quinn'))).toBe(true)
    const stored = await db.select().from(updates)
    expect(stored.some((row) => row.botId !== clientBot && row.payload.includes('Zoe Quinn · ACC-1001'))).toBe(true)
    // The driver's error quotes the statement's parameters, her Telegram id among them.
    expect(stored.find((row) => row.state === 'failed')?.error).toMatch(new RegExp(`params: .*${zoeId}`))
    expect(dead[0]!.lastError).toContain('@zoeq')
    // The export shows all of it (what forget erases), and nothing of Yuri's.
    const exported = JSON.stringify(await exportCustomerData(db, h.projectId, customer!.id, 'test', new Date()))
    for (const trace of [
      zoeSecrets.clickAddress,
      zoeSecrets.userAgent,
      zoeSecrets.referrer,
      zoeSecrets.clickParam,
      zoeSecrets.tag,
      zoeSecrets.reason,
      zoeSecrets.note,
      '⚠️ Zoe Quinn (@zoeq)',
      '🚨 Zoe Quinn',
      '↩ Zoe Quinn',
      'Zoe Quinn · ACC-1001',
      'USER_ID_INVALID',
      zoeSecrets.translated,
    ])
      expect(exported).toContain(trace)
    expect(exported).not.toContain('Yuri Petrov')
    expect((JSON.parse(exported) as { knowledgePairs: { text: string }[] }).knowledgePairs.map((pair) => pair.text)).toEqual([expect.stringContaining(zoeSecrets.reply)])
    const auditTexts = (JSON.parse(exported) as { auditEvents: { kind: string; text: string | null }[] }).auditEvents.map((event) => `${event.kind}: ${event.text}`)
    expect(auditTexts).toEqual(expect.arrayContaining([`transfer: ${zoeSecrets.reason}`, `delete: ${zoeSecrets.deleted}`]))

    const forgot = await run('forget', String(customer!.id), '--project', world.project.key)
    expect(forgot.stderr).toContain(`Customer ${customer!.id} forgotten`)

    const cells = await dumpDatabase(db)
    const leaks = cells.filter((cell) => !keptTables.includes(cell.table) && Object.values(zoeSecrets).some((secret) => cell.text.toLowerCase().includes(secret.toLowerCase())))
    expect(leaks).toEqual([])
    const idPattern = new RegExp(`(^|\\D)${zoeId}(\\D|$)`)
    const idColumns = cells
      .filter((cell) => !keptTables.includes(cell.table) && idPattern.test(cell.text) && !cell.text.includes(FORWARDED_STORY))
      .map((cell) => `${cell.table}.${cell.column}`)
    expect([...new Set(idColumns)].filter((column) => !telegramIdColumns.includes(column))).toEqual([])
    // The rows themselves stay, anonymous: counts and the delivery history remain.
    expect(
      (
        await db
          .select()
          .from(outbox)
          .where(
            inArray(
              outbox.id,
              cards.map((row) => row.id),
            ),
          )
      ).length,
    ).toBe(cards.length)

    expect(await yuriRows()).toEqual(yuriBefore)
    expect((await db.select().from(outbox).where(eq(outbox.id, waiting)))[0]).toMatchObject({ state: 'dead', lastError: CANCELLED_BY_ERASURE })
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'customer_forgotten')).orderBy(desc(auditLog.id))
    expect(JSON.parse(audit!.details!)).toMatchObject({ by: `cli ${userInfo().username}` })
    expect(cardAssignmentId(zoe.card)).toBeGreaterThan(0)
  })
})

/** Yuri's update quoting Zoe's id: his, so forget leaves it (and her id in it) alone. */
const FORWARDED_STORY = 'a story Yuri forwarded'

/** Everything the database holds of one customer that forget touches: to prove another customer's stays as it was. */
async function rowsOf(customerId: number, telegramUserId: number) {
  const { db } = h.database
  const topicIds = (await db.select({ id: topics.id }).from(topics).where(eq(topics.customerId, customerId))).map((t) => t.id)
  const messageIds = (await db.select({ id: messages.id }).from(messages).where(eq(messages.customerId, customerId))).map((m) => m.id)
  return {
    customer: await db.select().from(customers).where(eq(customers.id, customerId)),
    messages: await db.select().from(messages).where(eq(messages.customerId, customerId)).orderBy(messages.id),
    links: messageIds.length ? await db.select().from(relayLinks).where(inArray(relayLinks.messageId, messageIds)).orderBy(relayLinks.id) : [],
    topics: await db.select().from(topics).where(eq(topics.customerId, customerId)),
    outbox: (await db.select().from(outbox).orderBy(outbox.id)).filter((row) => {
      const to = decodeDestination(row.destination)
      return (to?.kind === 'topic' && topicIds.includes(to.topicId)) || (to?.kind === 'chat' && to.chatId === telegramUserId) || row.job.includes('Yuri')
    }),
    updates: (await db.select().from(updates)).filter((row) => row.payload.includes(`"id":${telegramUserId},`) || row.payload.includes('Yuri')),
  }
}
