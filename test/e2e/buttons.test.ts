import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { accounts, assignments, customers, projects, reassignments, topics } from '../../src/db/schema/index.js'
import { createSampleWorld, type SampleWorld } from '../../src/demo/sample-world.js'
import { buttonData, waitForPrivate, waitForTopic, waitForTopicMessage } from '../support/flows.js'
import { outboxSettled } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

/**
 * Buttons are bound to the message they were posted on and to its customer: callback data
 * copied from another card or prompt (a modified client can send any data) is refused politely
 * and changes nothing. Each family also refuses the roles that may not press it.
 */
/** A second project (its own bots, groups, staff and accounts) in the same service. */
let other: SampleWorld
const cs = () => h.world.groups.cs.id
const lead = () => h.world.people.alice.id
const REFUSED = 'This button does not belong to this message.'

async function cardOf(email: string) {
  return h.sim.waitFor(() => h.sim.chatMessages(cs()).find((m) => m.reply_markup && m.text?.includes(email)))
}

async function customerRow(telegramUserId: number) {
  const [row] = await h.database.db
    .select()
    .from(customers)
    .where(and(eq(customers.telegramUserId, telegramUserId), eq(customers.projectId, h.projectId)))
  return row!
}

const h = useHarness(
  {
    prepare: (sim) => {
      other = createSampleWorld(sim, { keySuffix: '2' })
      return { projects: [other.project] }
    },
  },
  async () => {
    const { sim, world } = h
    const [second] = await h.database.db.select().from(projects).where(eq(projects.key, other.project.key))
    await h.database.db.insert(accounts).values({ projectId: second!.id, email: 'zoe@example.com', displayName: 'Zoe Q', externalId: 'B-1', crTeamHint: 'north' })
    sim.sendPrivate(other.people.zoe.id, other.bots.client.id, { text: '/start' })
    await waitForPrivate(h, other.people.zoe.id, other.bots.client.id, 'email')
    sim.sendPrivate(other.people.zoe.id, other.bots.client.id, { text: 'zoe@example.com' })
    for (const [person, email] of [
      [world.people.zoe, 'zoe@example.com'],
      [world.people.yuri, 'yuri@example.com'],
    ] as const) {
      sim.sendPrivate(person.id, world.bots.client.id, { text: '/start' })
      await waitForPrivate(h, person.id, world.bots.client.id, 'email')
      sim.sendPrivate(person.id, world.bots.client.id, { text: email })
      await cardOf(email)
    }
  },
)

describe('onboarding card buttons', () => {
  it('refuse data copied from another card or another project, and non-leads, changing nothing', async () => {
    const { sim, world } = h
    const zoeCard = await cardOf('zoe@example.com')
    const yuriCard = await cardOf('yuri@example.com')
    for (const label of ['CR South', 'Reject', 'Treatment']) {
      const forged = await sim.pressButton(lead(), cs(), yuriCard.message_id, buttonData(zoeCard, label), { forged: true })
      expect(forged).toMatchObject({ text: REFUSED, show_alert: true })
    }
    for (const label of ['CR South', 'Reject', 'Treatment']) {
      const refused = await sim.pressButton(world.people.bob.id, cs(), zoeCard.message_id, buttonData(zoeCard, label))
      expect(refused).toMatchObject({ text: 'Only CS leads can assign customers.', show_alert: true })
    }
    // Across projects: each project's lead, with the other project's card data.
    const otherCard = await sim.waitFor(() => sim.chatMessages(other.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('zoe@example.com')))
    const acrossProjects = [
      sim.pressButton(other.people.alice.id, other.groups.cs.id, otherCard.message_id, buttonData(zoeCard, 'CR North'), { forged: true }),
      sim.pressButton(lead(), cs(), zoeCard.message_id, buttonData(otherCard, 'CR North'), { forged: true }),
    ]
    for (const answer of await Promise.all(acrossProjects)) expect(answer).toMatchObject({ text: REFUSED, show_alert: true })
    await outboxSettled(h.app.db)
    const rows = await h.database.db.select().from(assignments)
    expect(rows.map((a) => a.state)).toEqual(['pending', 'pending', 'pending'])
    expect(sim.topics(other.groups.cs.id).map((t) => t.name)).toEqual(['Onboarding'])
    expect(rows.find((a) => a.cardMessageId === zoeCard.message_id)?.treatmentToggle).toBe(false)
    expect(sim.topics(cs()).map((t) => t.name)).toEqual(['Onboarding'])
    expect(sim.chatMessages(cs()).find((m) => m.message_id === zoeCard.message_id)?.text).toBe(zoeCard.text)
    expect((await customerRow(world.people.zoe.id)).state).toBe('pending_assignment')

    // The real buttons still work.
    expect((await sim.pressButton(lead(), cs(), zoeCard.message_id, buttonData(zoeCard, 'CR North')))?.text).toBe('Assigned to CR North.')
    expect((await sim.pressButton(lead(), cs(), yuriCard.message_id, buttonData(yuriCard, 'CR South')))?.text).toBe('Assigned to CR South.')
    await waitForTopic(h, world.groups.north.id, 'Zoe')
    await waitForTopic(h, world.groups.south.id, 'Yuri')
  })
})

describe('reassignment buttons', () => {
  it('refuse data of another customer or another message, and non-leads, changing nothing', async () => {
    const { sim, world } = h
    const zoeTopic = await waitForTopic(h, cs(), 'Zoe')
    const yuriTopic = await waitForTopic(h, cs(), 'Yuri')
    const zoeProfile = await waitForTopicMessage(h, cs(), zoeTopic.message_thread_id, (m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR'))
    const yuriProfile = await waitForTopicMessage(h, cs(), yuriTopic.message_thread_id, (m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR'))
    // Zoe's move prompt, as a lead would get it.
    await sim.pressButton(lead(), cs(), zoeProfile.message_id, buttonData(zoeProfile, 'Reassign CR'))
    const prompt = await waitForTopicMessage(h, cs(), zoeTopic.message_thread_id, (m) => !!m.text?.includes('to which CR team?') && !!m.reply_markup)
    await sim.pressButton(lead(), cs(), prompt.message_id, buttonData(prompt, 'CR South'))
    const whenPrompt = await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.message_id === prompt.message_id && m.text?.includes('when?')))

    const shown = () => [zoeTopic, yuriTopic].map((t) => sim.chatMessages(cs(), { threadId: t.message_thread_id }).map((m) => m.text))
    // Everything the onboardings queued is shown first (on a busy machine a notice may still be on its way).
    await outboxSettled(h.app.db)
    const before = shown()
    // Zoe's "Now" pressed on Yuri's profile card; Yuri's menu pressed on Zoe's card; the menu's data on the when prompt.
    const forgeries: Array<[number, string]> = [
      [yuriProfile.message_id, buttonData(whenPrompt, 'Now')],
      [zoeProfile.message_id, buttonData(yuriProfile, 'Reassign CR')],
      [whenPrompt.message_id, buttonData(zoeProfile, 'Reassign CR')],
    ]
    for (const [messageId, data] of forgeries) {
      expect(await sim.pressButton(lead(), cs(), messageId, data, { forged: true })).toMatchObject({ text: REFUSED, show_alert: true })
    }
    const refused = await sim.pressButton(world.people.bob.id, cs(), whenPrompt.message_id, buttonData(whenPrompt, 'Now'))
    expect(refused).toMatchObject({ text: 'Only CS leads can move customers between CR teams.', show_alert: true })
    await outboxSettled(h.app.db)
    expect(await h.database.db.select().from(reassignments)).toEqual([])
    expect(shown()).toEqual(before)

    // A planned move's cancel button: refused to non-leads and on another message.
    const tonight = await sim.pressButton(lead(), cs(), whenPrompt.message_id, buttonData(whenPrompt, 'Tonight'))
    expect(tonight?.text).toContain('Scheduled by Alice')
    const scheduled = await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.message_id === whenPrompt.message_id && m.text?.startsWith('🗓 Scheduled') && m.reply_markup))
    expect(await sim.pressButton(lead(), cs(), yuriProfile.message_id, buttonData(scheduled, 'Cancel'), { forged: true })).toMatchObject({ text: REFUSED })
    expect(await sim.pressButton(world.people.bob.id, cs(), scheduled.message_id, buttonData(scheduled, 'Cancel'))).toMatchObject({
      text: 'Only CS leads can move customers between CR teams.',
    })
    const [plan] = await h.database.db.select().from(reassignments)
    expect(plan?.state).toBe('scheduled')
    expect((await sim.pressButton(lead(), cs(), scheduled.message_id, buttonData(scheduled, 'Cancel')))?.text).toBe('Cancelled.')
  })
})

describe('/treatment confirmation buttons', () => {
  it('refuse data of another customer or another message, and Treatment staff, changing nothing', async () => {
    const { sim, world } = h
    const zoeTopic = await waitForTopic(h, cs(), 'Zoe')
    const zoeProfile = await waitForTopicMessage(h, cs(), zoeTopic.message_thread_id, (m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR'))
    const command = sim.sendGroup(lead(), cs(), { text: '/treatment' }, { threadId: zoeTopic.message_thread_id })
    const prompt = await waitForTopicMessage(
      h,
      cs(),
      zoeTopic.message_thread_id,
      (m) => m.message_id > command.message_id && !!m.reply_markup && !!m.text?.startsWith('Open a Treatment topic'),
    )
    const open = buttonData(prompt, 'Open Treatment topic')
    const yuri = await customerRow(world.people.yuri.id)
    const zoe = await customerRow(world.people.zoe.id)
    const forgeries: Array<[number, string]> = [
      // Yuri's id in Zoe's prompt; Zoe's own confirmation pressed on her profile card.
      [prompt.message_id, open.replace(String(zoe.id), String(yuri.id))],
      [zoeProfile.message_id, open],
    ]
    for (const [messageId, data] of forgeries) {
      expect(await sim.pressButton(lead(), cs(), messageId, data, { forged: true })).toMatchObject({ text: REFUSED, show_alert: true })
    }
    sim.addMember(cs(), world.people.tess.id)
    for (const label of ['Open Treatment topic', 'Cancel']) {
      const refused = await sim.pressButton(world.people.tess.id, cs(), prompt.message_id, buttonData(prompt, label))
      expect(refused).toMatchObject({ text: 'Only CS or CR staff can open a Treatment topic.', show_alert: true })
    }
    await outboxSettled(h.app.db)
    const treatmentTopics = await h.database.db.select().from(topics).where(eq(topics.role, 'treatment'))
    // Yuri's Treatment topic comes from onboarding (his account has the flag); Zoe has none.
    expect(treatmentTopics.map((t) => t.customerId)).toEqual([yuri.id])
    expect(sim.chatMessages(cs()).find((m) => m.message_id === prompt.message_id)?.text).toBe(prompt.text)
    expect((await sim.pressButton(lead(), cs(), prompt.message_id, open))?.text).toBe('Treatment topic opened.')
  })
})
