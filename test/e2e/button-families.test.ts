import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { outbox, topics, updates } from '../../src/db/schema/index.js'
import { buttonData, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * Every button family is bound the same way: its data must be on the pressed message, read by its
 * codec, and (for staff) pressed by someone who may work in the group. `dl:` / `du:` (the
 * /failed retry buttons) had no codec and no pressed-message check before.
 */
const { h, zoe } = useOnboardedZoe()
const REFUSED = 'This button does not belong to this message.'
const INVALID = 'This button is no longer valid.'

const profileCard = () => waitForTopicMessage(h, h.world.groups.cs.id, zoe.cs, (m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR'))

describe('the /failed retry buttons', () => {
  it('refuse a dl: or du: press whose data is not on the pressed message, reviving nothing', async () => {
    const { sim, world } = h
    const { db } = h.database
    const cs = world.groups.cs.id
    const lead = world.people.alice.id
    // A dead row and a parked update of this project, as /failed would list them.
    const [sent] = await db.select().from(outbox).where(eq(outbox.projectId, h.projectId)).limit(1)
    await db.update(outbox).set({ state: 'dead' }).where(eq(outbox.id, sent!.id))
    await db.insert(updates).values({ botId: world.bots.client.id, updateId: 987_654, projectId: h.projectId, payload: '{"update_id":987654}', state: 'failed', attempts: 5 })
    const card = await profileCard()

    for (const data of [`dl:${sent!.id}`, `du:${world.bots.client.id}:987654`]) {
      expect(await sim.pressButton(lead, cs, card.message_id, data, { forged: true })).toMatchObject({ text: REFUSED, show_alert: true })
    }
    for (const data of ['dl:x', `du:${world.bots.client.id}`, 'zz:1']) {
      expect(await sim.pressButton(lead, cs, card.message_id, data, { forged: true })).toMatchObject({ text: INVALID, show_alert: true })
    }
    const [row] = await db.select().from(outbox).where(eq(outbox.id, sent!.id))
    expect(row!.state).toBe('dead')
    const [parked] = await db
      .select()
      .from(updates)
      .where(and(eq(updates.botId, world.bots.client.id), eq(updates.updateId, 987_654)))
    expect(parked!.state).toBe('failed')

    // The listing's own button still retries.
    sim.sendGroup(lead, cs, { text: '/failed' })
    const list = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.text?.includes('Failed deliveries')), { message: '/failed answer' })
    expect(await sim.pressButton(lead, cs, list.message_id, buttonData(list, `#${sent!.id}`))).toMatchObject({ text: `Row #${sent!.id} is queued again.` })
  })
})

describe('staff buttons and the group', () => {
  it("refuse an agent of another team pressing in a team's group, changing nothing", async () => {
    const { sim, world } = h
    const { carol, dave } = world.people
    // Dave (CR South) is in CR North's group, where Zoe's CR topic is; Carol asks for a Treatment topic.
    sim.addMember(zoe.crChat, dave.id)
    const command = sim.sendGroup(carol.id, zoe.crChat, { text: '/treatment' }, { threadId: zoe.cr })
    const prompt = await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.message_id > command.message_id && !!m.reply_markup && !!m.text?.startsWith('Open a Treatment topic'))
    const open = buttonData(prompt, 'Open Treatment topic')
    expect(await sim.pressButton(dave.id, zoe.crChat, prompt.message_id, open)).toMatchObject({ text: 'Only CR North staff can work in this group.', show_alert: true })
    expect(await h.database.db.select().from(topics).where(eq(topics.role, 'treatment'))).toEqual([])
    expect(sim.chatMessages(zoe.crChat).find((m) => m.message_id === prompt.message_id)?.text).toBe(prompt.text)
    expect((await sim.pressButton(carol.id, zoe.crChat, prompt.message_id, open))?.text).toBe('Treatment topic opened.')
  })
})
