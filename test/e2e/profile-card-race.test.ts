import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers, profileCards, topics } from '../../src/db/schema/index.js'
import { createDeliveryHooks } from '../../src/domain/delivery-outcomes.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { createQueryRecorder } from '../support/query-recorder.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * A card reported posted while a change of what it shows is being committed (an owner, a tag)
 * must end up showing the change: either the change sees the card, or the card's report sees the
 * change. The report locks the customer's row like the change does.
 */
const recorder = createQueryRecorder()
const { h, zoe } = useOnboardedZoe({ queryLogger: recorder })
/** The customer-row lock a card report asks for first (lockProfile). */
const LOCK = /^select `id` from `customers` where `customers`.`id` = \? for update$/

describe('a profile card posted during an owner change', () => {
  it('shows the new owner, whichever commits first', async () => {
    const { sim, world } = h
    await outboxSettled(h.app.db)
    const acme = h.app.projects.find((p) => p.id === h.projectId)!
    const [zoeRow] = await h.database.db.select().from(customers).where(eq(customers.projectId, h.projectId))
    const [crCard] = await h.database.db
      .select({ card: profileCards })
      .from(profileCards)
      .innerJoin(topics, eq(topics.id, profileCards.topicId))
      .where(and(eq(topics.customerId, zoeRow!.id), eq(topics.role, 'cr')))
    // The CR card's post is still being reported: its row is not there yet.
    await h.database.db.delete(profileCards).where(eq(profileCards.topicId, crCard!.card.topicId))

    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let changed!: () => void
    const ownerChanged = new Promise<void>((resolve) => (changed = resolve))
    const change = h.app.db.transaction(async (tx) => {
      await changeOwner(tx, acme, zoeRow!.id, { to: world.people.carol.id, by: null, reason: 'routing' })
      changed()
      await held
    })
    await ownerChanged
    const { card } = crCard!
    let reported = false
    const mark = recorder.statements.length
    const report = createDeliveryHooks(h.app.deps, h.app.projects).onProfileCardSent!(card.topicId, card.chatId, card.messageId, card.botId).then(() => (reported = true))
    // The report either finishes (seeing no owner yet) or asks for the customer's lock, which the change holds.
    await pollUntil(() => Promise.resolve(reported || recorder.statements.slice(mark).some((statement) => LOCK.test(statement))), { message: 'the card report ran or waits' })
    release()
    await change
    await report
    h.app.deps.notify()
    await outboxSettled(h.app.db)
    const shown = sim.chatMessages(world.groups.north.id, { threadId: zoe.cr }).find((m) => m.message_id === card.messageId)
    expect(shown?.text).toContain('Owner: Carol')
  })
})
