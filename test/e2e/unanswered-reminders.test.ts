import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { unansweredRemindersJob } from '../../src/cron/unanswered-reminders.js'
import { customers, projects, unansweredWaits } from '../../src/db/schema/index.js'
import { ManualClock } from '../../src/domain/clock.js'
import { relayApiMessage } from '../../src/domain/relay/api-message.js'
import { cardAssignmentId, onboard, waitForPrivate, waitForTopic, waitForTopicMessage, type OnboardedTopics, clearOwners } from '../support/flows.js'
import { serviceSettled } from '../support/poll.js'
import { createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'
import { lateBound, useHarness } from '../support/suite.js'

const MINUTE = 60_000
// Wednesday 2026-10-21, 10:00 in Berlin (CEST, UTC+2).
const clock = new ManualClock(new Date('2026-10-21T08:00:00Z'))
const recorder = createQueryRecorder()
const h = useHarness(
  {
    secondBrand: true,
    queryLogger: recorder,
    start: { clock },
    project: {
      sla: {
        firstReminderMinutes: 10,
        escalateMinutes: 30,
        businessHours: { timeZone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
        outsideHoursReply: 'Thanks for your message! We are back on Monday to Friday from 9:00 to 18:00 (Berlin time).',
      },
    },
  },
  async (harness) => {
    zoeTopics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north'))
    betaZoeTopics.set(await onboard(harness, harness.beta!.people.zoe, 'zoe@example.com', 'south', { world: harness.beta! }))
    // These tests set owners themselves.
    await clearOwners(harness)
  },
)
const zoeTopics = lateBound<OnboardedTopics>('zoe')
const betaZoeTopics = lateBound<OnboardedTopics>('beta zoe')
const [zoe, betaZoe] = [zoeTopics.view, betaZoeTopics.view]

const runReminders = () => h.app.cron.runOnce(unansweredRemindersJob(h.app.deps, h.app.projects, '* * * * *', (project, stage, n) => h.app.metrics.reminders(project, stage, n)))
/** Moves the domain clock, fires what is due, and waits for the sends. */
const at = async (time: Date | number) => {
  clock.set(typeof time === 'number' ? new Date(clock.now().getTime() + time) : time)
  await runReminders()
  await serviceSettled(h.database.db)
}
const fromZoe = async (text: string) => {
  h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text })
  return waitForTopicMessage(h, zoe.crChat, zoe.cr, text)
}
const inCr = async (from: { id: number }, text: string) => {
  h.sim.sendGroup(from.id, zoe.crChat, { text }, { threadId: zoe.cr })
  await serviceSettled(h.database.db)
}
const reminders = () => h.sim.chatMessages(zoe.crChat, { threadId: zoe.cr }).filter((m) => m.text?.startsWith('⏰'))
const onboardingTopic = (chatId: number) => h.sim.topics(chatId).find((t) => t.name === 'Onboarding')
const escalations = (chatId = h.world.groups.cs.id) => {
  const topic = onboardingTopic(chatId)
  return topic ? h.sim.chatMessages(chatId, { threadId: topic.message_thread_id }).filter((m) => m.text?.startsWith('🚨')) : []
}
/** Changes Zoe's row in Acme as the owner and resolve commands would (another part of issue 10). */
const updateZoe = async (change: Partial<typeof customers.$inferInsert>) => {
  const [acme] = await h.database.db.select().from(projects).where(eq(projects.key, 'acme'))
  await h.database.db
    .update(customers)
    .set(change)
    .where(and(eq(customers.projectId, acme!.id), eq(customers.telegramUserId, h.world.people.zoe.id)))
}
const setOwner = (userId: number | null) => updateZoe({ ownerUserId: userId })

describe('unanswered reminders', () => {
  it('pings the owner after 10 minutes (a note is no answer), tells the CS leads after 30, each once, until a staff answer', async () => {
    const { world } = h
    await setOwner(world.people.carol.id)
    const question = await fromZoe('Where is my order?')
    await inCr(world.people.carol, '// checking with the warehouse')
    await at(9 * MINUTE)
    expect(reminders()).toHaveLength(0)
    await at(1 * MINUTE)
    const ping = await waitForTopicMessage(h, zoe.crChat, zoe.cr, '⏰')
    expect(ping.text).toBe('⏰ Carol, this message has waited 10 min of business hours for an answer.')
    expect(ping.entities).toContainEqual(
      expect.objectContaining({ type: 'text_mention', offset: 2, length: 'Carol'.length, user: expect.objectContaining({ id: world.people.carol.id }) }),
    )
    expect(ping.reply_to_message_id).toBe(question.message_id)
    expect(ping.from.id).toBe(world.bots.cr.id)
    // A second client message still waits behind the first: no new clock.
    await fromZoe('Hello?')
    await at(5 * MINUTE)
    expect(reminders()).toHaveLength(1)
    expect(escalations()).toHaveLength(0)
    await at(15 * MINUTE)
    const escalation = await h.sim.waitFor(() => escalations()[0])
    const csTopicLink = `https://t.me/c/${String(world.groups.cs.id).replace(/^-100/, '')}/${zoe.cs}`
    expect(escalation.text).toBe(`🚨 Zoe Quinn (CR North) has waited 30 min of business hours for an answer (owner: Carol).\n${csTopicLink}`)
    expect(escalation.from.id).toBe(world.bots.cs.id)
    await at(60 * MINUTE)
    expect(reminders()).toHaveLength(1)
    expect(escalations()).toHaveLength(1)
    const metrics = await h.app.metrics.text()
    expect(metrics).toContain('topicdesk_reminders_total{project="acme",stage="reminder"} 1')
    expect(metrics).toContain('topicdesk_reminders_total{project="acme",stage="escalation"} 1')
    // An answer ends the wait; a new client message after it starts a new one.
    await inCr(world.people.carol, 'It ships today.')
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'It ships today.')
    await at(60 * MINUTE)
    expect(reminders()).toHaveLength(1)
    await fromZoe('Thanks! One more thing.')
    await at(10 * MINUTE)
    await h.sim.waitFor(() => reminders().length === 2)
    await inCr(world.people.carol, 'Sure, go ahead.')
  })

  it('counts business hours only, in Berlin time across the end of daylight saving time, and auto-replies once outside them', async () => {
    const { world } = h
    // Friday 2026-10-23 17:55 CEST (UTC+2): 5 minutes before closing.
    await at(new Date('2026-10-23T15:55:00Z'))
    const autoReplies = () => h.sim.privateMessages(world.people.zoe.id, world.bots.client.id).filter((m) => m.text?.startsWith('Thanks for your message'))
    await fromZoe('Can someone call me?')
    await serviceSettled(h.database.db)
    expect(autoReplies()).toHaveLength(0)
    // 18:30 and 19:00: outside the hours; the auto-reply goes out once.
    await at(new Date('2026-10-23T16:30:00Z'))
    await fromZoe('Anyone?')
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Thanks for your message!')
    // An automatic answer like the auto-replies (issue 18): the topic shows it, as a reply to the message it answers.
    const anyone = await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Anyone?')
    const shown = await waitForTopicMessage(h, zoe.crChat, zoe.cr, '🤖 Thanks for your message!')
    expect(shown.reply_to_message_id).toBe(anyone.message_id)
    await at(new Date('2026-10-23T17:00:00Z'))
    await fromZoe('Hello??')
    await serviceSettled(h.database.db)
    expect(autoReplies()).toHaveLength(1)
    // Clocks go back on Sunday 25 October: Monday 09:05 is 08:05 UTC (CET, UTC+1), not 07:05.
    const before = reminders().length
    await at(new Date('2026-10-26T07:05:00Z'))
    await at(new Date('2026-10-26T08:04:00Z'))
    expect(reminders()).toHaveLength(before)
    await at(new Date('2026-10-26T08:05:00Z'))
    await h.sim.waitFor(() => reminders().length === before + 1)
    // Escalation at 09:25 CET, 30 business minutes after the message.
    const escalated = escalations().length
    await at(new Date('2026-10-26T08:24:00Z'))
    expect(escalations()).toHaveLength(escalated)
    await at(new Date('2026-10-26T08:25:00Z'))
    await h.sim.waitFor(() => escalations().length === escalated + 1)
    // A staff answer, then a message outside the hours again: a new conversation turn, a new auto-reply.
    await inCr(world.people.carol, 'Calling you now.')
    await at(new Date('2026-10-26T18:10:00Z'))
    await fromZoe('Thanks, bye!')
    await h.sim.waitFor(() => autoReplies().length === 2)
    await inCr(world.people.carol, 'Have a nice evening.')
  })

  it('without an owner reminds the CR topic with no mention, and each project only in its own groups', async () => {
    const { world } = h
    const beta = h.beta!
    await setOwner(null)
    // Wednesday 2026-10-28 10:00 CET.
    await at(new Date('2026-10-28T09:00:00Z'))
    await fromZoe('Is anyone there?')
    h.sim.sendPrivate(beta.people.zoe.id, beta.bots.client.id, { text: 'Beta question' })
    await waitForTopicMessage(h, betaZoe.crChat, betaZoe.cr, 'Beta question')
    const acmeBefore = reminders().length
    const betaReminders = () => h.sim.chatMessages(betaZoe.crChat, { threadId: betaZoe.cr }).filter((m) => m.text?.startsWith('⏰'))
    await at(10 * MINUTE)
    await h.sim.waitFor(() => reminders().length === acmeBefore + 1 && betaReminders().length === 1)
    const ping = reminders().at(-1)!
    expect(ping.text).toBe('⏰ This message has waited 10 min of business hours for an answer; Zoe Quinn has no owner yet.')
    expect(ping.entities ?? []).not.toContainEqual(expect.objectContaining({ type: 'text_mention' }))
    // Beta has no business hours: plain minutes, in Beta's groups, through Beta's bots.
    expect(betaReminders()[0]!.text).toBe('⏰ This message has waited 10 min for an answer; Zoe Quinn has no owner yet.')
    expect(betaReminders()[0]!.from.id).toBe(beta.bots.cr.id)
    await at(20 * MINUTE)
    await h.sim.waitFor(() => escalations(beta.groups.cs.id).length === 1)
    expect(escalations(beta.groups.cs.id)[0]!.text).toMatch(/^🚨 Zoe Quinn \(CR South\) has waited 30 min for an answer \(no owner\)\.\nhttps:\/\/t\.me\/c\//)
    // Nothing of one project in the other's groups.
    for (const group of Object.values(world.groups))
      for (const m of h.sim.chatMessages(group.id)) expect(m.from.id === beta.bots.cs.id || m.from.id === beta.bots.cr.id).toBe(false)
    for (const group of Object.values(beta.groups)) for (const m of h.sim.chatMessages(group.id)) expect([world.bots.cs.id, world.bots.cr.id]).not.toContain(m.from.id)
    expect(escalations().filter((m) => m.text?.includes('CR South'))).toHaveLength(0)
    await inCr(world.people.carol, 'We are here.')
  })

  it('counts a message held before assignment from the assignment, and a resolve ends the wait and the conversation', async () => {
    const { sim, world } = h
    const yuri = world.people.yuri
    // Thursday 2026-10-29 10:00 CET.
    await at(new Date('2026-10-29T09:00:00Z'))
    sim.sendPrivate(yuri.id, world.bots.client.id, { text: '/start' })
    await waitForPrivate(h, yuri.id, world.bots.client.id, 'email')
    sim.sendPrivate(yuri.id, world.bots.client.id, { text: 'yuri@example.com' })
    const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('yuri@example.com')))
    sim.sendPrivate(yuri.id, world.bots.client.id, { text: 'A question before anyone is assigned' })
    await waitForPrivate(h, yuri.id, world.bots.client.id, 'Thank you!')
    await at(20 * MINUTE)
    await sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, `as:${cardAssignmentId(card)}:cr:south`)
    const topic = await waitForTopic(h, world.groups.south.id, 'Yuri · ')
    const held = await waitForTopicMessage(h, world.groups.south.id, topic.message_thread_id, 'A question before anyone is assigned')
    const yuriReminders = () => sim.chatMessages(world.groups.south.id, { threadId: topic.message_thread_id }).filter((m) => m.text?.startsWith('⏰'))
    await at(9 * MINUTE)
    expect(yuriReminders()).toHaveLength(0)
    await at(1 * MINUTE)
    const ping = await sim.waitFor(() => yuriReminders()[0])
    expect(ping.reply_to_message_id).toBe(held.message_id)

    // A resolve after the message: nothing is expected of staff any more.
    const before = reminders().length
    const zoeEscalations = () => escalations().filter((m) => m.text?.startsWith('🚨 Zoe')).length
    const escalated = zoeEscalations()
    await fromZoe('All good now, thanks')
    await updateZoe({ conversation: 'resolved', resolvedAt: new Date(clock.now().getTime() + MINUTE) })
    await at(40 * MINUTE)
    expect(reminders()).toHaveLength(before)
    expect(zoeEscalations()).toBe(escalated)
    // The resolved wait is ended, so it no longer takes a place in the check's batch.
    const [zoeRow] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, world.people.zoe.id))
    const [wait] = await h.database.db.select().from(unansweredWaits).where(eq(unansweredWaits.customerId, zoeRow!.id))
    expect(wait).toMatchObject({ messageRowId: null, waitingSince: null })
    // Outside the hours (19:00 CET): the auto-reply once, and once more after a resolve (a new conversation).
    const autoReplies = () => sim.privateMessages(world.people.zoe.id, world.bots.client.id).filter((m) => m.text?.startsWith('Thanks for your message'))
    const replied = autoReplies().length
    await updateZoe({ conversation: 'open' })
    await at(new Date('2026-10-29T18:00:00Z'))
    await fromZoe('New problem tonight')
    await sim.waitFor(() => autoReplies().length === replied + 1)
    await fromZoe('Still tonight')
    await updateZoe({ conversation: 'resolved', resolvedAt: new Date(clock.now().getTime() + MINUTE) })
    await at(2 * MINUTE)
    await updateZoe({ conversation: 'open' })
    await fromZoe('Another one, after the resolve')
    await sim.waitFor(() => autoReplies().length === replied + 2)
  })

  it('still reminds when Telegram refuses the mention (an owner no bot has ever seen, gone from the roster): as plain text', async () => {
    // Zoe's last message (Thursday 19:03 CET, outside the hours) is due on Friday at 09:10 CET; her owner
    // is now someone the CR bot has no access to (tdlib: "have no access to the user").
    const gone = h.sim.createUser({ firstName: 'Rita' })
    await setOwner(gone.id)
    const before = reminders().length
    await at(new Date('2026-10-30T08:09:00Z'))
    expect(reminders()).toHaveLength(before)
    await at(new Date('2026-10-30T08:10:00Z'))
    const ping = await h.sim.waitFor(() => reminders()[before])
    expect(ping.text).toBe('⏰ Owner, this message has waited 10 min of business hours for an answer.')
    expect(ping.entities ?? []).not.toContainEqual(expect.objectContaining({ type: 'text_mention' }))
    // An answer without a Telegram original (the admin API, like /c) is an answer too: no escalation follows.
    const acme = h.app.projects.find((p) => p.config.key === 'acme')!
    const [zoeRow] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id))
    const sent = await relayApiMessage(h.app.deps, acme, { customerId: zoeRow!.id, staffId: h.world.people.dave.id, text: 'Dave here, on it.', apiKeyId: 1 })
    expect(sent.ok).toBe(true)
    await waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, 'Dave here, on it.')
    const escalated = escalations().length
    await at(new Date('2026-10-30T09:00:00Z'))
    expect(escalations()).toHaveLength(escalated)
  })

  it('starts over after a resolve: a wait escalated, then resolved unanswered, is reminded again at the client’s next message', async () => {
    await setOwner(h.world.people.carol.id)
    // Friday 2026-10-30, 10:00 CET, within the hours.
    await at(new Date('2026-10-30T09:00:00Z'))
    const [before, escalated] = [reminders().length, escalations().length]
    await fromZoe('Still waiting on the courier')
    await at(10 * MINUTE)
    await at(20 * MINUTE)
    expect([reminders().length, escalations().length]).toEqual([before + 1, escalated + 1])
    // Resolved without an answer; then Zoe writes again: a new wait, reminded from its start.
    await updateZoe({ conversation: 'resolved', resolvedAt: clock.now() })
    await at(MINUTE)
    await fromZoe('One more question, please')
    await at(10 * MINUTE)
    expect(reminders()).toHaveLength(before + 2)
  })

  // Runs last: waits, reminders and auto-replies of two projects in one database stay within their project.
  it('sends no query on a project-owned table without a project condition', async () => {
    const owned = await projectOwnedTables(h.database.db)
    expect(owned).toContain('unanswered_waits')
    expect(recorder.statements.some((s) => s.includes('`unanswered_waits`'))).toBe(true)
    expect(unscopedStatements(recorder.statements, owned)).toEqual([])
  })
})
