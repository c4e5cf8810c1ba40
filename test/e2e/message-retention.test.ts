import { inArray, lte, sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { retentionJob } from '../../src/cron/retention.js'
import { CronScheduler } from '../../src/cron/scheduler.js'
import { messages, relayLinks } from '../../src/db/schema/index.js'
import { createLogger } from '../../src/logger.js'
import { buttonData, onboard, waitForPrivate, waitForTopic, waitForTopicMessage } from '../support/flows.js'
import { startHarness, type Harness } from '../support/harness.js'
import { outboxSettled } from '../support/poll.js'

let h: Harness
afterEach(async () => h?.stop())

const storedTexts = async () => (await h.database.db.select({ text: messages.text }).from(messages)).map((m) => m.text)

/** One run of the retention job with the harness's config, as the cron would run it. */
async function runRetention(): Promise<void> {
  const logger = createLogger('silent')
  const { config } = h
  await new CronScheduler({ held: true }, logger).runOnce(
    retentionJob(h.database.db, logger, { schedule: config.cron.retention, days: config.retention.days, messageDays: config.retention.messageDays }),
  )
}

/** Stored messages up to this row id were written 40 days ago. */
async function age(upToRowId: number): Promise<void> {
  await h.database.db
    .update(messages)
    .set({ createdAt: sql`NOW(3) - INTERVAL 40 DAY` })
    .where(lte(messages.id, upToRowId))
}

const rowIdOf = async (text: string) => (await h.database.db.select({ id: messages.id, text: messages.text }).from(messages)).find((m) => m.text === text)!.id

describe('retention.messageDays', () => {
  it('deletes stored messages older than N days with their relay links; replies, relaying and a reassignment replay use what remains', async () => {
    h = await startHarness({ config: { retention: { days: 30, messageDays: 30 } } })
    const { sim, world } = h
    const { zoe, carol, alice } = world.people
    const clientBot = world.bots.client.id
    const topics = await onboard(h, zoe, 'zoe@example.com', 'north')
    sim.sendPrivate(zoe.id, clientBot, { text: 'Old question' })
    const oldCopy = await waitForTopicMessage(h, topics.crChat, topics.cr, 'Old question')
    sim.sendGroup(carol.id, topics.crChat, { text: 'Old answer' }, { threadId: topics.cr })
    await waitForPrivate(h, zoe.id, clientBot, 'Old answer')
    await outboxSettled(h.database.db)
    const oldRows = await h.database.db.select({ id: messages.id }).from(messages)
    await age(await rowIdOf('Old answer'))
    sim.sendPrivate(zoe.id, clientBot, { text: 'Recent question' })
    await waitForTopicMessage(h, topics.crChat, topics.cr, 'Recent question')
    sim.sendGroup(carol.id, topics.crChat, { text: 'Recent answer' }, { threadId: topics.cr })
    await waitForPrivate(h, zoe.id, clientBot, 'Recent answer')
    await outboxSettled(h.database.db)

    await runRetention()
    expect(await storedTexts()).toEqual(['Recent question', 'Recent answer'])
    const oldIds = oldRows.map((m) => m.id)
    expect(await h.database.db.select().from(relayLinks).where(inArray(relayLinks.messageId, oldIds))).toEqual([])

    // A reply to a copy whose message expired still reaches the client, as a plain message.
    sim.sendGroup(carol.id, topics.crChat, { text: 'About that old one' }, { threadId: topics.cr, replyTo: oldCopy.message_id })
    const plain = await waitForPrivate(h, zoe.id, clientBot, 'About that old one')
    expect(plain.reply_to_message_id).toBeUndefined()

    // A reassignment replays what remains.
    const cs = world.groups.cs.id
    const card = await sim.waitFor(() => sim.chatMessages(cs).find((m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR')))
    await sim.pressButton(alice.id, cs, card.message_id, buttonData(card, 'Reassign CR'))
    const prompt = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.text?.includes('to which CR team?') && m.reply_markup))
    await sim.pressButton(alice.id, cs, prompt.message_id, buttonData(prompt, 'CR South'))
    const whenPrompt = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.message_id === prompt.message_id && m.text?.includes('when?')))
    await sim.pressButton(alice.id, cs, prompt.message_id, buttonData(whenPrompt, 'Now'))
    const south = await waitForTopic(h, world.groups.south.id, 'Zoe')
    await waitForTopicMessage(h, world.groups.south.id, south.message_thread_id, 'About that old one')
    const replayed = sim.chatMessages(world.groups.south.id, { threadId: south.message_thread_id }).map((m) => m.text ?? '')
    expect(replayed.some((text) => text.includes('Recent question'))).toBe(true)
    expect(replayed.some((text) => text.includes('Old question') || text.includes('Old answer'))).toBe(false)

    // And so does a Treatment topic's context.
    const command = sim.sendGroup(alice.id, cs, { text: '/treatment' }, { threadId: topics.cs })
    const confirm = await sim.waitFor(() =>
      sim.chatMessages(cs, { threadId: topics.cs }).find((m) => m.message_id > command.message_id && m.reply_markup && m.text?.startsWith('Open a Treatment')),
    )
    await sim.pressButton(alice.id, cs, confirm.message_id, buttonData(confirm, 'Open Treatment topic'))
    const treatment = await waitForTopic(h, world.groups.treatment.id, 'Zoe')
    await waitForTopicMessage(h, world.groups.treatment.id, treatment.message_thread_id, 'About that old one')
    const context = sim.chatMessages(world.groups.treatment.id, { threadId: treatment.message_thread_id }).map((m) => m.text ?? '')
    expect(context.some((text) => text.includes('Recent answer'))).toBe(true)
    expect(context.some((text) => text.includes('Old question') || text.includes('Old answer'))).toBe(false)
  })

  it('keeps a message still waiting for an answer, and everything when messageDays is not set', async () => {
    h = await startHarness()
    const { sim, world } = h
    const { zoe } = world.people
    const topics = await onboard(h, zoe, 'zoe@example.com', 'north')
    sim.sendPrivate(zoe.id, world.bots.client.id, { text: 'Answered long ago' })
    await waitForTopicMessage(h, topics.crChat, topics.cr, 'Answered long ago')
    sim.sendGroup(world.people.carol.id, topics.crChat, { text: 'The answer' }, { threadId: topics.cr })
    await waitForPrivate(h, zoe.id, world.bots.client.id, 'The answer')
    sim.sendPrivate(zoe.id, world.bots.client.id, { text: 'Nobody answered me' })
    await waitForTopicMessage(h, topics.crChat, topics.cr, 'Nobody answered me')
    await outboxSettled(h.database.db)
    const waiting = await rowIdOf('Nobody answered me')
    await age(waiting)
    expect(h.config.retention.messageDays).toBeUndefined()
    await runRetention()
    expect(await storedTexts()).toEqual(['Answered long ago', 'The answer', 'Nobody answered me'])

    h.config.retention.messageDays = 30
    await runRetention()
    expect(await storedTexts()).toEqual(['Nobody answered me'])
  })
})
