import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { agentPresence } from '../../src/db/schema/index.js'
import { askInGroup, onboard, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { outboxSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * Being in a staff group is not enough to work there: relays and topic commands need the
 * group's role (and, in a CR group, its team). Carol (CR North) is still in CR South's group,
 * Tess (Treatment only) in the CS group.
 */
const { h, zoe } = useOnboardedZoe({
  prepare: (sim, world) => {
    sim.addMember(world.groups.south.id, world.people.carol.id)
    sim.addMember(world.groups.cs.id, world.people.tess.id)
  },
})

const clientTexts = (userId: number) =>
  h.sim
    .privateMessages(userId, h.world.bots.client.id)
    .filter((m) => m.from.is_bot)
    .map((m) => m.text ?? '')
const botTexts = (chatId: number, threadId: number) =>
  h.sim
    .chatMessages(chatId, { threadId })
    .filter((m) => m.from.is_bot && m.kind !== 'service')
    .map((m) => m.text ?? '')

describe('staff outside their group', () => {
  it('an agent of another CR team is neither relayed nor obeyed, and is told once', async () => {
    const { sim, world } = h
    const yuri = await onboard(h, world.people.yuri, 'yuri@example.com', 'south')
    const south = world.groups.south.id
    sim.sendGroup(world.people.carol.id, south, { text: 'Carol in the wrong team' }, { threadId: yuri.cr })
    sim.sendGroup(world.people.carol.id, south, { text: 'Carol again' }, { threadId: yuri.cr })
    const note = await askInGroup(h, world.people.carol.id, south, '/note not my customer', yuri.cr)
    expect(note.text).toBe('Only CR South staff can work in this group.')
    sim.sendGroup(world.people.dave.id, south, { text: 'Dave answers' }, { threadId: yuri.cr })
    await waitForPrivate(h, world.people.yuri.id, world.bots.client.id, 'Dave answers')
    await outboxSettled(h.app.db)
    expect(clientTexts(world.people.yuri.id).filter((t) => t.includes('Carol'))).toEqual([])
    // One refusal for the two messages, one for the command; no note was added.
    expect(botTexts(south, yuri.cr).filter((t) => t === 'Only CR South staff can work in this group.')).toHaveLength(2)
    expect(botTexts(south, yuri.cr).some((t) => t.includes('Note added'))).toBe(false)
  })

  it('a Treatment-only agent in the CS group is neither relayed (as "· CS") nor obeyed', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    sim.sendGroup(world.people.tess.id, cs, { text: 'Tess in the CS group' }, { threadId: zoe.cs })
    const tag = await askInGroup(h, world.people.tess.id, cs, '/tag vip', zoe.cs)
    expect(tag.text).toBe('Only Acme CS staff can work in this group.')
    sim.sendGroup(world.people.bob.id, cs, { text: 'Bob answers' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Bob answers')
    await outboxSettled(h.app.db)
    expect(clientTexts(world.people.zoe.id).filter((t) => t.includes('Tess'))).toEqual([])
    expect(botTexts(cs, zoe.cs).filter((t) => t === 'Only Acme CS staff can work in this group.')).toHaveLength(2)
  })

  it('group-wide commands (/who, /mine, /online…) need the group’s role and team too', async () => {
    const { world } = h
    const south = world.groups.south.id
    const southOnly = 'Only CR South staff can work in this group.'
    // Carol (CR North) would see CR South's agents and their customers, or set her status from their group.
    expect((await askInGroup(h, world.people.carol.id, south, '/who')).text).toBe(southOnly)
    expect((await askInGroup(h, world.people.carol.id, south, '/mine')).text).toBe(southOnly)
    expect((await askInGroup(h, world.people.carol.id, south, '/away')).text).toBe(southOnly)
    expect((await h.database.db.select().from(agentPresence).where(eq(agentPresence.userId, world.people.carol.id)))[0]?.status).not.toBe('away')
    expect((await askInGroup(h, world.people.tess.id, world.groups.cs.id, '/who')).text).toBe('Only Acme CS staff can work in this group.')
    // The group's own staff still may.
    expect((await askInGroup(h, world.people.dave.id, south, '/who')).text).toContain('👥 CR South')
  })

  it('commands in a retired topic (after a move) are refused', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    sim.sendGroup(world.people.alice.id, cs, { text: '/reassign south now' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.from.is_bot && (m.text ?? '').includes('CR South'))
    const answer = await askInGroup(h, world.people.carol.id, zoe.crChat, '/note after the move', zoe.cr)
    expect(answer.text).toBe("This topic is closed and no longer speaks for the customer; use the customer's current topic.")
  })
})
