import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assignmentLog, customers } from '../../src/db/schema/index.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import { waitForTopicMessage } from '../support/flows.js'
import { outboxSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/** The one way a customer's CR owner changes: row, assignment log, card and a notice that mentions the owners. */
// Zoe starts without an owner: with nobody online, routing leaves her in the queue.
const { h, zoe } = useOnboardedZoe({ project: { routing: { rule: 'online_first', whenNobodyOnline: 'queue' } } })
const acme = () => h.app.projects.find((p) => p.id === h.projectId)!
const zoeRow = async () => (await h.database.db.select().from(customers).where(eq(customers.projectId, h.projectId)))[0]!

describe('changing a customer’s owner', () => {
  it('still posts the notice, without the mention, when the bot has no access to the new owner', async () => {
    const { world } = h
    // The start-up checks asked the CR bot about Carol and Dave (getChatMember), never about Tess.
    const tess = world.people.tess.id
    const customer = await zoeRow()
    await h.app.db.transaction((tx) => changeOwner(tx, acme(), customer.id, { to: tess, by: null, reason: 'routing' }))
    h.app.deps.notify()
    // Telegram refuses a text_mention of a user the bot has no access to (the simulator too): the text goes as is.
    const notice = await waitForTopicMessage(h, world.groups.north.id, zoe.cr, (m) => m.text === '👤 Owner: Tess')
    expect(notice.entities ?? []).toEqual([])
    await h.app.db.transaction((tx) => changeOwner(tx, acme(), customer.id, { to: null, by: null, reason: 'routing' }))
    await outboxSettled(h.app.db)
  })

  it('records the owner, logs it, edits the cards and mentions the new owner in the CR topic', async () => {
    const { sim, world } = h
    const carol = world.people.carol.id
    const customer = await zoeRow()
    const changed = await h.app.db.transaction((tx) => changeOwner(tx, acme(), customer.id, { to: carol, by: null, reason: 'routing' }))
    expect(changed).toEqual({ from: null })
    h.app.deps.notify()
    const notice = await waitForTopicMessage(h, world.groups.north.id, zoe.cr, (m) => m.from.is_bot && m.text === '👤 Owner: Carol')
    expect(notice.text).toBe('👤 Owner: Carol')
    expect(notice.entities).toContainEqual(expect.objectContaining({ type: 'text_mention', offset: '👤 Owner: '.length, length: 5, user: expect.objectContaining({ id: carol }) }))
    await outboxSettled(h.app.db)
    const card = sim.chatMessages(world.groups.north.id, { threadId: zoe.cr }).find((m) => m.text?.startsWith('👤 Zoe'))
    expect(card?.text).toContain('Owner: Carol')
    const [log] = await h.database.db
      .select()
      .from(assignmentLog)
      .where(and(eq(assignmentLog.customerId, customer.id), eq(assignmentLog.action, 'owner_changed'), eq(assignmentLog.toOwner, carol)))
    expect(log).toMatchObject({ fromOwner: null, toOwner: carol, reason: 'routing' })
    expect((await zoeRow()).ownerUserId).toBe(carol)
  })

  it('names both owners and who decided, and changes nothing when the owner is the same', async () => {
    const { world } = h
    const [carol, dave, alice] = [world.people.carol.id, world.people.dave.id, world.people.alice.id]
    const customer = await zoeRow()
    const same = await h.app.db.transaction((tx) => changeOwner(tx, acme(), customer.id, { to: carol, by: alice, reason: 'transfer' }))
    expect(same).toBeUndefined()
    await h.app.db.transaction((tx) => changeOwner(tx, acme(), customer.id, { to: dave, by: alice, reason: 'transfer', note: 'speaks Dutch' }))
    h.app.deps.notify()
    const notice = await waitForTopicMessage(h, world.groups.north.id, zoe.cr, (m) => m.text?.includes('→ Dave') === true)
    expect(notice.text).toBe('👤 Owner: Carol → Dave (by Alice: speaks Dutch)')
    expect(notice.entities?.filter((e) => e.type === 'text_mention').map((e) => (e.type === 'text_mention' ? e.user.id : 0))).toEqual([carol, dave])
  })
})
