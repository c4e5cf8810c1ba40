import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customerNotes, customers, customerTags } from '../../src/db/schema/index.js'
import { exportCustomerData, forgetCustomer } from '../../src/domain/personal-data.js'
import { waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

describe('personal data of the customer profile', () => {
  it('exports the tags and notes, and erasure deletes both', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    sim.sendGroup(world.people.bob.id, cs, { text: '/tag vip' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, '🏷 Tags: #vip')
    sim.sendGroup(world.people.bob.id, cs, { text: '/note lives at 12 Elm Street' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, '📝 Note added to the profile.')
    const db = h.database.db
    const [customer] = await db.select().from(customers).where(eq(customers.telegramUserId, world.people.zoe.id))
    const exported = await exportCustomerData(db, h.projectId, customer!.id, 'test', new Date())
    expect(exported).toMatchObject({ tags: ['vip'], notes: [expect.objectContaining({ text: 'lives at 12 Elm Street', authorName: 'Bob' })] })
    expect(await forgetCustomer(db, h.projectId, customer!.id, 'test')).toMatchObject({ notes: 1, tags: 1 })
    expect(await db.select().from(customerNotes).where(eq(customerNotes.customerId, customer!.id))).toEqual([])
    expect(await db.select().from(customerTags).where(eq(customerTags.customerId, customer!.id))).toEqual([])
  })
})
