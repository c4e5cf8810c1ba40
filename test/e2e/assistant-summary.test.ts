import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers } from '../../src/db/schema/index.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import type { SimUser } from '../../src/simulator/index.js'
import { askInGroup, buttonData, clearOwners, onboard, waitForPrivate, waitForTopicMessage, type OnboardedTopics } from '../support/flows.js'
import { lateBound, useHarness } from '../support/suite.js'

// `/summary` and the summary after `/transfer` (assistant.summaries.onTransfer), against the fake provider.
const benUser = lateBound<SimUser>('Ben')
const zoeTopics = lateBound<OnboardedTopics>('zoe')
const zoe = zoeTopics.view
const h = useHarness(
  {
    openai: true,
    project: { assistant: { summaries: { onTransfer: true, onReassign: false } } },
    prepare: (sim, world) => {
      const user = sim.createUser({ firstName: 'Ben', username: 'ben_cr' })
      sim.addMember(world.groups.north.id, user.id)
      benUser.set(user)
      return { agents: [{ id: user.id, name: 'Ben', projects: { acme: { roles: ['cr'], teams: ['north'] } } }] }
    },
  },
  async (harness) => {
    zoeTopics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north'))
    await clearOwners(harness)
    const acme = harness.app.projects.find((p) => p.id === harness.projectId)!
    const [row] = await harness.database.db.select().from(customers).where(eq(customers.projectId, harness.projectId))
    await harness.app.db.transaction((tx) => changeOwner(tx, acme, row!.id, { to: harness.world.people.carol.id, by: null, reason: 'routing' }))
  },
)
const SUMMARY = 'Zoe says her parcel is late; Carol promised to check with the carrier.'

describe('/summary', () => {
  it('posts the assistant summary of the conversation to the topic only; the provider saw the conversation', async () => {
    const { sim, world } = h
    const north = world.groups.north.id
    h.openai!.answer(/^Summarise this support conversation/, SUMMARY)
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'My parcel is late, order 1234' })
    await waitForTopicMessage(h, north, zoe.cr, 'My parcel is late, order 1234')
    sim.sendGroup(world.people.carol.id, north, { text: 'I will check with the carrier' }, { threadId: zoe.cr })
    await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'I will check with the carrier')
    const before = sim.privateMessages(world.people.zoe.id, world.bots.client.id).length

    expect((await askInGroup(h, world.people.carol.id, north, '/summary', zoe.cr)).text).toBe('📝 Writing a summary of this conversation…')
    const posted = await waitForTopicMessage(h, north, zoe.cr, /^📝 Summary of the conversation/)
    expect(posted.text).toBe(`📝 Summary of the conversation (by the assistant): ${SUMMARY}`)
    const prompt = (h.openai!.chatRequests().at(-1)!.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content
    expect(prompt).toContain('Client: My parcel is late, order 1234')
    expect(prompt).toContain('Staff: I will check with the carrier')
    expect(prompt).not.toContain('zoe@example.com')
    expect(sim.privateMessages(world.people.zoe.id, world.bots.client.id)).toHaveLength(before)
  })

  it('with summaries.onTransfer, the transfer notice is followed by a summary for the new owner', async () => {
    const { sim, world } = h
    const north = world.groups.north.id
    const requests = h.openai!.chatRequests().length
    const prompt = await askInGroup(h, world.people.carol.id, north, '/transfer on holiday', zoe.cr)
    await sim.pressButton(world.people.carol.id, north, prompt.message_id, buttonData(prompt, 'Ben'))
    const notice = await waitForTopicMessage(h, north, zoe.cr, /^👤 Owner: Carol → Ben/)
    const summary = await waitForTopicMessage(
      h,
      north,
      zoe.cr,
      (m) => m.text === `📝 Summary of the conversation (by the assistant): ${SUMMARY}` && m.message_id > notice.message_id,
    )
    expect(summary.message_id).toBeGreaterThan(notice.message_id)
    expect(h.openai!.chatRequests().length).toBe(requests + 1)
  })
})
