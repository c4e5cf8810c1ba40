import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { reassignmentsJob, recordsSyncJob } from '../../src/cron/reassignments.js'
import { accounts, reassignments, topics } from '../../src/db/schema/index.js'
import { executeReassignment } from '../../src/domain/reassignment/execute.js'
import { startHarness, type Harness } from '../support/harness.js'
import { pollUntil } from '../support/poll.js'
import { buttonData, onboard, waitForPrivate, waitForTopicMessage } from '../support/flows.js'

let h: Harness
afterEach(async () => h?.stop())

const texts = (chatId: number, threadId: number) =>
  h.sim
    .chatMessages(chatId, { threadId })
    .filter((m) => m.kind !== 'service')
    .map((m) => m.text ?? `[${m.kind}]`)

async function conversation(zoe: Awaited<ReturnType<typeof onboard>>) {
  const { sim, world } = h
  const client = world.people.zoe.id
  const bot = world.bots.client.id
  sim.sendPrivate(client, bot, { text: 'My parcel is late' })
  await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'My parcel is late')
  sim.sendGroup(world.people.carol.id, zoe.crChat, { text: 'Checking with the courier' }, { threadId: zoe.cr })
  await waitForPrivate(h, client, bot, 'Checking with the courier')
  const note = sim.sendGroup(world.people.carol.id, zoe.crChat, { text: '// courier is slow this week' }, { threadId: zoe.cr })
  await sim.waitFor(() => sim.chatMessages(zoe.crChat).find((m) => m.message_id === note.message_id && m.reactions.length > 0))
  sim.sendPrivate(client, bot, { photo: { bytes: Buffer.from('parcel-slip') }, caption: 'the slip' })
  await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'the slip')
}

async function pressReassign(teamLabel: string, when: 'Now' | 'Tonight') {
  const { sim, world } = h
  const cs = world.groups.cs.id
  const card = await sim.waitFor(() => sim.chatMessages(cs).find((m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR')))
  await sim.pressButton(world.people.alice.id, cs, card.message_id, buttonData(card, 'Reassign CR'))
  const prompt = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.text?.includes('to which CR team?') && m.reply_markup))
  await sim.pressButton(world.people.alice.id, cs, prompt.message_id, buttonData(prompt, teamLabel))
  const whenPrompt = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.message_id === prompt.message_id && m.text?.includes('when?')))
  return sim.pressButton(world.people.alice.id, cs, prompt.message_id, buttonData(whenPrompt, when))
}

describe('CR reassignment', () => {
  it('moves a customer now: new topic, labelled history in order with media, old topic closed, both teams told', async () => {
    h = await startHarness()
    const { sim, world } = h
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    await conversation(zoe)
    const refused = await sim.pressButton(
      world.people.bob.id,
      world.groups.cs.id,
      (await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR')))).message_id,
      'ra:m:1',
    )
    expect(refused?.text).toBe('Only CS leads can move customers between CR teams.')
    const crUploads = () => sim.stats().uploads[world.bots.cr.id] ?? 0
    const crUploadsBefore = crUploads()
    const answer = await pressReassign('CR South', 'Now')
    expect(answer?.text).toContain('is moving to CR South')
    // Once the move is committed (its new topic row exists), a live message queues behind the replay.
    await pollUntil(async () => (await h.database.db.select().from(topics).where(eq(topics.teamKey, 'south'))).length > 0, { message: 'the move committed' })
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'live during the replay' })

    const south = world.groups.south.id
    const topic = await sim.waitFor(() => sim.topics(south).find((t) => t.name.startsWith('Zoe Quinn')))
    await waitForTopicMessage(h, south, topic.message_thread_id, 'live during the replay')
    const shown = texts(south, topic.message_thread_id)
    const start = shown.findIndex((t) => t.startsWith('🔀 Moved here from CR North by Alice'))
    expect(start).toBeGreaterThan(0)
    const history = shown.slice(start + 1)
    const bodies = history.map((t) => t.split('\n').slice(1).join('\n'))
    expect(bodies.slice(0, 4)).toEqual(['My parcel is late', 'Checking with the courier', '// courier is slow this week', 'the slip'])
    expect(history[0]).toMatch(/^↩ Zoe Quinn · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\n/)
    expect(history[1]).toMatch(/^↩ Carol · CR · .* UTC\n/)
    expect(history[2]).toMatch(/\(internal note\)\n/)
    expect(history[4]).toBe('— End of history. New messages follow. —')
    // The owner is chosen anew in the new team (round robin after Carol), then live traffic follows.
    expect(history[5]).toBe('👤 Owner: Carol → Dave')
    expect(history[6]).toBe('live during the replay')
    // The new topic's card names the owner chosen in the new team, never the old one.
    const newCard = () => sim.chatMessages(south, { threadId: topic.message_thread_id }).find((m) => m.text?.startsWith('👤 Zoe'))
    expect(newCard()?.text).not.toContain('Owner: Carol')
    await sim.waitFor(() => newCard()?.text?.includes('Owner: Dave'))
    const photo = sim.chatMessages(south, { threadId: topic.message_thread_id }).find((m) => m.kind === 'photo')!
    const original = sim.chatMessages(zoe.crChat, { threadId: zoe.cr }).find((m) => m.kind === 'photo')!
    expect(sim.fileBytes(photo.file_unique_id!)).toEqual(sim.fileBytes(original.file_unique_id!))
    // The CR bot uploaded the slip when relaying it to CR North: the replay reuses its file_id.
    expect(crUploads()).toBe(crUploadsBefore)

    await sim.waitFor(() => sim.topics(zoe.crChat).find((t) => t.message_thread_id === zoe.cr && t.closed))
    expect(texts(zoe.crChat, zoe.cr).at(-1)).toBe('➡️ Moved to CR South by Alice. This topic is closed; the conversation continues there.')
    expect(texts(zoe.crChat, zoe.cr)).not.toContain('live during the replay')
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'moved from CR North to CR South by Alice')
    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/history' }, { threadId: zoe.cs })
    const historyAnswer = await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'Assignment history:')
    expect(historyAnswer.text).toMatch(/onboarded — → north · by Alice/)
    expect(historyAnswer.text).toMatch(/reassigned north → south · by Alice \(in bot\)/)
  })

  it('keeps replies, edits and reactions on old messages working through the replayed copies', async () => {
    h = await startHarness()
    const { sim, world } = h
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    const client = world.people.zoe.id
    const bot = world.bots.client.id
    const question = sim.sendPrivate(client, bot, { text: 'Old question' })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Old question')
    sim.sendGroup(world.people.carol.id, zoe.crChat, { text: 'Old answer' }, { threadId: zoe.cr })
    const oldAnswer = await waitForPrivate(h, client, bot, 'Old answer')
    await pressReassign('CR South', 'Now')
    const south = world.groups.south.id
    const topic = await sim.waitFor(() => sim.topics(south).find((t) => t.name.startsWith('Zoe Quinn')))
    const replayedQuestion = await waitForTopicMessage(h, south, topic.message_thread_id, 'Old question')
    const replayedAnswer = await waitForTopicMessage(h, south, topic.message_thread_id, 'Old answer')
    await waitForTopicMessage(h, south, topic.message_thread_id, 'End of history')

    sim.sendPrivate(client, bot, { text: 'Following up' }, { replyTo: oldAnswer.message_id })
    const followUp = await waitForTopicMessage(h, south, topic.message_thread_id, 'Following up')
    expect(followUp.reply_to_message_id).toBe(replayedAnswer.message_id)

    sim.editMessage(client, client, question.message_id, { text: 'Old question (edited)' })
    await waitForTopicMessage(h, south, topic.message_thread_id, (m) => m.message_id === replayedQuestion.message_id && (m.text?.endsWith('Old question (edited)') ?? false))

    sim.react(world.people.dave.id, south, replayedQuestion.message_id, ['👍'])
    await sim.waitFor(() => sim.privateMessages(client, bot).find((m) => m.message_id === question.message_id && m.reactions.some((r) => r.by === bot)))

    sim.sendGroup(world.people.dave.id, south, { text: 'Dave here now' }, { threadId: topic.message_thread_id, replyTo: replayedQuestion.message_id })
    const atClient = await waitForPrivate(h, client, bot, 'Dave here now')
    expect(atClient.text).toBe('Dave · CR\nDave here now')
    expect(atClient.reply_to_message_id).toBe(question.message_id)
  })

  it('schedules for tonight with a cancel button, and runs a due move from the cron job exactly once', async () => {
    h = await startHarness()
    const { sim, world } = h
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    const answer = await pressReassign('CR South', 'Tonight')
    expect(answer?.text).toMatch(/Scheduled by Alice: move Zoe Quinn to CR South at \d{4}-\d{2}-\d{2} 22:00 UTC/)
    const scheduled = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.text?.startsWith('🗓 Scheduled') && m.reply_markup))
    await sim.pressButton(world.people.alice.id, world.groups.cs.id, scheduled.message_id, buttonData(scheduled, 'Cancel'))
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.message_id === scheduled.message_id && m.text?.includes('cancelled by Alice')))

    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/reassign south 2099-01-01 10:00' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'at 2099-01-01 10:00 UTC')
    const [plan] = (await h.database.db.select().from(reassignments)).filter((r) => r.state === 'scheduled')
    await h.database.db
      .update(reassignments)
      .set({ dueAt: new Date(Date.now() - 1000) })
      .where(eq(reassignments.id, plan!.id))
    const job = reassignmentsJob(h.app.deps, h.app.projects, '* * * * *')
    await Promise.all([h.app.cron.runOnce(job), h.app.cron.runOnce(job)])
    expect(await executeReassignment(h.app.deps, h.app.projects[0]!, plan!.id)).toBe('skipped')
    const topic = await sim.waitFor(() => sim.topics(world.groups.south.id).find((t) => t.name.startsWith('Zoe Quinn')))
    await waitForTopicMessage(h, world.groups.south.id, topic.message_thread_id, 'End of history')
    expect(sim.topics(world.groups.south.id)).toHaveLength(1)
  })

  it('schedules moves from changed account records, and refuses the same or an unknown team', async () => {
    h = await startHarness()
    const { sim, world } = h
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/reassign north now' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'Not moved: The customer is already with CR North.')
    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/reassign atlantis now' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'There is no CR team "atlantis"')
    sim.sendGroup(world.people.bob.id, world.groups.cs.id, { text: '/reassign south now' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'Only CS leads can move customers')

    await h.database.db.update(accounts).set({ crTeamHint: 'south' }).where(eq(accounts.email, 'zoe@example.com'))
    await h.app.cron.runOnce(recordsSyncJob(h.app.deps, h.app.projects, '* * * * *'))
    await h.app.cron.runOnce(recordsSyncJob(h.app.deps, h.app.projects, '* * * * *'))
    const plans = await h.database.db.select().from(reassignments)
    expect(plans).toEqual([expect.objectContaining({ source: 'records', toTeam: 'south', state: 'scheduled' })])
    await h.app.cron.runOnce(reassignmentsJob(h.app.deps, h.app.projects, '* * * * *'))
    const topic = await sim.waitFor(() => sim.topics(world.groups.south.id).find((t) => t.name.startsWith('Zoe Quinn')))
    await waitForTopicMessage(h, world.groups.south.id, topic.message_thread_id, 'Moved here from CR North by the account records')

    // A lead moves the customer back by hand: the records (still "south") did not change, so
    // the next sync leaves that decision alone.
    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: '/reassign north now' }, { threadId: zoe.cs })
    await sim.waitFor(() => sim.topics(world.groups.north.id).filter((t) => t.name.startsWith('Zoe Quinn')).length === 2)
    await pollUntil(async () => (await h.database.db.select().from(reassignments)).every((r) => r.state === 'done'))
    await h.app.cron.runOnce(recordsSyncJob(h.app.deps, h.app.projects, '* * * * *'))
    expect((await h.database.db.select().from(reassignments)).map((r) => [r.source, r.toTeam, r.state])).toEqual([
      ['records', 'south', 'done'],
      ['bot', 'north', 'done'],
    ])
  })
})
