import { eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, outbox, relayLinks } from '../../src/db/schema/index.js'
import { waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * The relay links of one message are inserted in one multi-row insert where the database numbers
 * its rows consecutively (innodb_autoinc_lock_mode ≤ 1), else one by one: either way each copy's
 * job must carry the id of its own link (the link of the topic its row is queued for).
 */
describe.each([
  { multiRowInsertIds: true, label: 'one multi-row insert' },
  { multiRowInsertIds: false, label: 'one insert per link (the fallback)' },
])('relay links in $label', ({ multiRowInsertIds }) => {
  const { h, zoe } = useOnboardedZoe({ start: { multiRowInsertIds } })

  it('gives each copy the id of its own link', async () => {
    const { sim, world } = h
    const texts = ['links one', 'links two', 'links three']
    const sent = texts.map((text) => sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text }))
    for (const text of texts) {
      await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, text)
      await waitForTopicMessage(h, world.groups.north.id, zoe.cr, text)
    }
    const sentIds = sent.map((m) => m.message_id)
    const stored = await h.database.db.select({ id: messages.id }).from(messages).where(inArray(messages.messageId, sentIds))
    const storedIds = stored.map((m) => m.id)
    const links = await h.database.db.select().from(relayLinks).where(inArray(relayLinks.messageId, storedIds))
    expect(links).toHaveLength(texts.length * 2)
    for (const link of links) {
      const rows = await h.database.db
        .select()
        .from(outbox)
        .where(eq(outbox.destination, `topic:${link.topicId}`))
      const own = rows.filter((row) => (JSON.parse(row.job) as { linkId?: number }).linkId === link.id)
      expect(own, `the job of link ${link.id}`).toHaveLength(1)
    }
  })
})
