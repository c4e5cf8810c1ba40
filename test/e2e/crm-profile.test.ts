import { describe, expect, it } from 'vitest'
import { useOnboardedZoe } from '../support/suite.js'
import { buttonData, waitForTopicMessage } from '../support/flows.js'

const { h, zoe } = useOnboardedZoe()

/** The pinned profile card of Zoe's topic in a group, as it is now. */
function card(chatId: number, threadId: number) {
  return h.sim.chatMessages(chatId, { threadId }).find((m) => m.from.is_bot && m.text?.startsWith('👤'))
}

function waitForCard(chatId: number, threadId: number, ok: (text: string) => boolean) {
  return h.sim.waitFor(() => {
    const found = card(chatId, threadId)
    return found?.text && ok(found.text) ? found : undefined
  })
}

describe('tags', () => {
  it('/tag normalises and adds tags once, shows them on every profile card (buttons kept), /untag and /tags', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    await waitForCard(cs, zoe.cs, () => true)
    sim.sendGroup(world.people.bob.id, cs, { text: '/tag VIP #refund vip' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, '🏷 Tags: #refund #vip')
    const csCard = await waitForCard(cs, zoe.cs, (text) => text.includes('Tags: #refund #vip'))
    expect(JSON.stringify(csCard.reply_markup)).toContain('Reassign')
    await waitForCard(zoe.crChat, zoe.cr, (text) => text.includes('Tags: #refund #vip'))

    sim.sendGroup(world.people.carol.id, zoe.crChat, { text: '/untag refund' }, { threadId: zoe.cr })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text === '🏷 Tags: #vip')
    await waitForCard(cs, zoe.cs, (text) => text.includes('Tags: #vip') && !text.includes('#refund'))

    sim.sendGroup(world.people.bob.id, cs, { text: '/tag bad!tag' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, 'Tags may use only letters a-z, digits, _ and - (not bad!tag).')
    sim.sendGroup(world.people.bob.id, cs, { text: '/tags' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, (m) => m.text === '🏷 Tags: #vip')
    expect(sim.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.text?.includes('#vip') || m.text?.includes('/tag'))).toBe(false)
  })
})

describe('notes', () => {
  it('/note adds a dated note with its author; the cards show the latest 3, /notes lists all', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const today = new Date().toISOString().slice(0, 10)
    for (const [i, text] of ['first note', 'second note', 'third note', 'fourth note'].entries()) {
      sim.sendGroup(world.people.carol.id, zoe.crChat, { text: `/note ${text}` }, { threadId: zoe.cr })
      await h.sim.waitFor(() => h.sim.chatMessages(zoe.crChat, { threadId: zoe.cr }).filter((m) => m.text === '📝 Note added to the profile.').length === i + 1 || undefined)
    }
    const csCard = await waitForCard(cs, zoe.cs, (text) => text.includes('fourth note'))
    expect(csCard.text).toContain(`• ${today} Carol: fourth note`)
    expect(csCard.text).toContain('third note')
    expect(csCard.text).toContain('second note')
    expect(csCard.text).not.toContain('first note')
    sim.sendGroup(world.people.bob.id, cs, { text: '/notes' }, { threadId: zoe.cs })
    const all = await waitForTopicMessage(h, cs, zoe.cs, '📝 Notes (newest first):')
    expect(all.text!.split('\n').slice(1)).toEqual(['fourth', 'third', 'second', 'first'].map((n) => `• ${today} Carol: ${n} note`))
    sim.sendGroup(world.people.bob.id, cs, { text: '/note' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs, zoe.cs, 'Write the note after the command')
    expect(sim.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.text?.includes('note'))).toBe(false)
  })
})

describe('a profile card posted later', () => {
  it('shows the tags and notes added before it: a Treatment topic opened afterwards', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const command = sim.sendGroup(world.people.alice.id, cs, { text: '/treatment' }, { threadId: zoe.cs })
    const prompt = await sim.waitFor(() =>
      sim.chatMessages(cs, { threadId: zoe.cs }).find((m) => m.message_id > command.message_id && m.reply_markup && m.text?.startsWith('Open a Treatment')),
    )
    await sim.pressButton(world.people.alice.id, cs, prompt.message_id, buttonData(prompt, 'Open Treatment topic'))
    const topic = await sim.waitFor(() => sim.topics(world.groups.treatment.id).find((t) => t.name.startsWith('Zoe Quinn')))
    const treatmentCard = await waitForCard(world.groups.treatment.id, topic.message_thread_id, (text) => text.includes('Tags: #vip') && text.includes('fourth note'))
    expect(treatmentCard.from.id).toBe(world.bots.treatment.id)
  })
})
