import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, outbox, relayLinks } from '../../src/db/schema/index.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { onboard, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

const clientBot = () => h.world.bots.client.id
const cs = () => h.world.groups.cs.id
const north = () => h.world.groups.north.id
const zoeId = () => h.world.people.zoe.id
/** The relay links recorded for a copy (its id is recorded right after its send returns). */
const recordsOf = (chatId: number, messageId: number) =>
  h.database.db
    .select()
    .from(relayLinks)
    .where(and(eq(relayLinks.chatId, chatId), eq(relayLinks.copyMessageId, messageId)))
/**
 * Waits for the copy of `text` in a topic while Telegram shows copies 1.5 s before their senders
 * learn their ids (each send answered after its effect), checks its id is not recorded yet, and acts on it.
 */
async function beforeItsRecord(chatId: number, threadId: number, text: string, act: (copyId: number) => void): Promise<void> {
  h.sim.setLatency({ afterEffect: { sendMessage: 1500, copyMessage: 1500 } })
  try {
    const copy = await waitForTopicMessage(h, chatId, threadId, text)
    expect(await recordsOf(chatId, copy.message_id)).toEqual([])
    act(copy.message_id)
  } finally {
    h.sim.setLatency(false)
  }
}

describe('replies', () => {
  it('maps a staff reply to the client original, and a client reply to the staff original and its mirror', async () => {
    const { sim, world } = h
    const question = sim.sendPrivate(zoeId(), clientBot(), { text: 'Question A' })
    const copy = await waitForTopicMessage(h, cs(), zoe.cs, 'Question A')
    const plain = sim.sendGroup(world.people.alice.id, cs(), { text: 'Not a reply' }, { threadId: zoe.cs })
    // A topic message carries the topic-root pseudo-reply: it must not become a reply.
    expect(plain.reply_to_message?.message_id).toBe(zoe.cs)
    const plainAtClient = await waitForPrivate(h, zoeId(), clientBot(), 'Not a reply')
    expect(plainAtClient.reply_to_message_id).toBeUndefined()

    sim.sendGroup(world.people.alice.id, cs(), { text: 'Answer to A' }, { threadId: zoe.cs, replyTo: copy.message_id })
    const answer = await waitForPrivate(h, zoeId(), clientBot(), 'Answer to A')
    expect(answer.reply_to_message_id).toBe(question.message_id)

    const staffOriginal = sim.sendGroup(world.people.alice.id, cs(), { text: 'Please confirm' }, { threadId: zoe.cs })
    const confirmAtClient = await waitForPrivate(h, zoeId(), clientBot(), 'Please confirm')
    const mirror = await waitForTopicMessage(h, north(), zoe.cr, 'Please confirm')
    sim.sendPrivate(zoeId(), clientBot(), { text: 'Confirmed' }, { replyTo: confirmAtClient.message_id })
    const inCs = await waitForTopicMessage(h, cs(), zoe.cs, 'Confirmed')
    const inCr = await waitForTopicMessage(h, north(), zoe.cr, 'Confirmed')
    expect(inCs.reply_to_message_id).toBe(staffOriginal.message_id)
    expect(inCr.reply_to_message_id).toBe(mirror.message_id)
  })
})

describe('replies to copies in flight', () => {
  it('maps a staff reply to a copy shown before its id came back to the client original', async () => {
    const { sim, world } = h
    const question = sim.sendPrivate(zoeId(), clientBot(), { text: 'Asked early' })
    await beforeItsRecord(cs(), zoe.cs, 'Asked early', (copyId) =>
      sim.sendGroup(world.people.alice.id, cs(), { text: 'Answered early' }, { threadId: zoe.cs, replyTo: copyId }),
    )
    const answer = await waitForPrivate(h, zoeId(), clientBot(), 'Answered early')
    expect(answer.reply_to_message_id).toBe(question.message_id)
  })
})

describe('edits', () => {
  it('edits every copy when the client edits text or a caption', async () => {
    const { sim } = h
    const original = sim.sendPrivate(zoeId(), clientBot(), { text: 'Typo heer' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'Typo heer')
    await waitForTopicMessage(h, north(), zoe.cr, 'Typo heer')
    sim.editMessage(zoeId(), zoeId(), original.message_id, { text: 'Typo here' })
    const edited = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === 'Typo here' && m.edited)
    expect(edited.edited).toBe(true)
    await waitForTopicMessage(h, north(), zoe.cr, (m) => m.text === 'Typo here' && m.edited)

    const photo = sim.sendPrivate(zoeId(), clientBot(), { photo: { bytes: Buffer.from('caption-photo') }, caption: 'old caption' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'old caption')
    sim.editMessage(zoeId(), zoeId(), photo.message_id, { photo: { bytes: Buffer.from('caption-photo') }, caption: 'new caption' })
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === 'new caption' && m.edited)
  })

  it('replaces the media of every copy when the client swaps it', async () => {
    const { sim } = h
    const photo = sim.sendPrivate(zoeId(), clientBot(), { photo: { bytes: Buffer.from('first-picture') }, caption: 'swap me' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'swap me')
    const replaced = sim.editMessage(zoeId(), zoeId(), photo.message_id, { photo: { bytes: Buffer.from('second-picture') }, caption: 'swap me' })
    const newBytes = h.sim.fileBytes(replaced.photo!.at(-1)!.file_unique_id)!
    const showsNewFile = (m: { file_unique_id?: string; edited: boolean }) =>
      m.edited && m.file_unique_id !== undefined && h.sim.fileBytes(m.file_unique_id)?.equals(newBytes) === true
    await waitForTopicMessage(h, cs(), zoe.cs, showsNewFile)
    await waitForTopicMessage(h, north(), zoe.cr, showsNewFile)
  })

  it('edits the client copy with the attribution kept when staff edit', async () => {
    const { sim, world } = h
    const staff = sim.sendGroup(world.people.alice.id, cs(), { text: 'Delivery on Mondey' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Delivery on Mondey')
    sim.editMessage(world.people.alice.id, cs(), staff.message_id, { text: 'Delivery on Monday' })
    const edited = await h.sim.waitFor(() => sim.privateMessages(zoeId(), clientBot()).find((m) => m.text === 'Alice · CS\nDelivery on Monday' && m.edited))
    expect(edited.entities?.[0]).toMatchObject({ type: 'bold', offset: 0 })
    await waitForTopicMessage(h, north(), zoe.cr, (m) => m.text === 'Alice · CS → client\nDelivery on Monday')
  })
})

describe('edits Telegram refuses', () => {
  it('posts the new version as a marked reply to the old copy', async () => {
    const { sim, world } = h
    const original = sim.sendPrivate(zoeId(), clientBot(), { text: 'Version one' })
    const copy = await waitForTopicMessage(h, cs(), zoe.cs, 'Version one')
    sim.failNext({ token: world.bots.cs.token, method: 'editMessageText', times: 1, error_code: 400, description: "Bad Request: message can't be edited" })
    sim.editMessage(zoeId(), zoeId(), original.message_id, { text: 'Version two' })
    const note = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === '✏️ Edited\nVersion two')
    expect(note.reply_to_message_id).toBe(copy.message_id)
    await waitForTopicMessage(h, north(), zoe.cr, (m) => m.text === 'Version two' && m.edited)
  })
})

describe('reactions', () => {
  it('syncs a client reaction to the staff original, and its removal', async () => {
    const { sim, world } = h
    const staff = sim.sendGroup(world.people.alice.id, cs(), { text: 'React to me' }, { threadId: zoe.cs })
    const atClient = await waitForPrivate(h, zoeId(), clientBot(), 'React to me')
    sim.react(zoeId(), zoeId(), atClient.message_id, ['👍'])
    await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.message_id === staff.message_id && m.reactions.some((r) => r.emoji === '👍' && r.by === world.bots.cs.id)))
    sim.react(zoeId(), zoeId(), atClient.message_id, [])
    await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.message_id === staff.message_id && m.reactions.length === 0))
  })

  it('syncs a staff reaction on a client message to the client original', async () => {
    const { sim, world } = h
    const original = sim.sendPrivate(zoeId(), clientBot(), { text: 'Thanks a lot' })
    const copy = await waitForTopicMessage(h, north(), zoe.cr, 'Thanks a lot')
    sim.react(world.people.carol.id, north(), copy.message_id, ['🔥'])
    await sim.waitFor(() =>
      sim.privateMessages(zoeId(), clientBot()).find((m) => m.message_id === original.message_id && m.reactions.some((r) => r.emoji === '🔥' && r.by === world.bots.client.id)),
    )
  })

  it('syncs a reaction made on a copy before its id came back to the service (shown in the chat, its send not answered yet)', async () => {
    const { sim, world } = h
    const original = sim.sendPrivate(zoeId(), clientBot(), { text: 'Seen before recorded' })
    await beforeItsRecord(north(), zoe.cr, 'Seen before recorded', (copyId) => sim.react(world.people.carol.id, north(), copyId, ['🔥']))
    await sim.waitFor(() =>
      sim.privateMessages(zoeId(), clientBot()).find((m) => m.message_id === original.message_id && m.reactions.some((r) => r.emoji === '🔥' && r.by === world.bots.client.id)),
    )
  })

  it('mirrors a reaction on any album item onto the first item of the original album', async () => {
    const { sim, world } = h
    const album = sim.sendAlbum(zoeId(), { botId: clientBot() }, [
      { photo: { bytes: Buffer.from('react-album-1') }, caption: 'react album' },
      { photo: { bytes: Buffer.from('react-album-2') } },
    ])
    const secondBytes = Buffer.from('react-album-2')
    const secondCopy = await sim.waitFor(() =>
      sim.chatMessages(north(), { threadId: zoe.cr }).find((m) => m.from.is_bot && m.file_unique_id !== undefined && sim.fileBytes(m.file_unique_id)?.equals(secondBytes)),
    )
    const movedBefore = sim.stats().albumReactionsMoved
    sim.react(world.people.carol.id, north(), secondCopy.message_id, ['🔥'])
    const reactionsOf = (id: number) => sim.privateMessages(zoeId(), clientBot()).find((m) => m.message_id === id)?.reactions ?? []
    await sim.waitFor(() => reactionsOf(album[0]!.message_id).some((r) => r.emoji === '🔥' && r.by === clientBot()))
    expect(reactionsOf(album[1]!.message_id)).toEqual([])
    // The service asked for the first item itself (the Bot API 7.0 rule), not relying on Telegram moving it.
    expect(sim.stats().albumReactionsMoved).toBe(movedBefore)
  })
})

describe('live locations', () => {
  it('copies a live location live and moves every copy, one waiting edit per copy, never an "Edited" message', async () => {
    const { sim } = h
    const live = sim.sendPrivate(zoeId(), clientBot(), { location: { latitude: 52.37, longitude: 4.89, live_period: 3600 } })
    const csCopy = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.kind === 'location' && m.from.is_bot)
    const crCopy = await waitForTopicMessage(h, north(), zoe.cr, (m) => m.kind === 'location' && m.from.is_bot)
    expect(csCopy.raw.location?.live_period).toBeGreaterThan(3500)
    expect(crCopy.raw.location?.live_period).toBeGreaterThan(3500)

    // The CS bot's first move is refused with a 429 whose wait outlasts the test's moves (the test
    // ends the wait itself below), so the moves after it find that edit still waiting, however
    // slowly a loaded machine handles them.
    const callsBefore = sim.stats().calls.editMessageLiveLocation ?? 0
    sim.failNext({ method: 'editMessageLiveLocation', chatId: cs(), error_code: 429, description: 'Too Many Requests: retry after 60', parameters: { retry_after: 60 } })
    sim.moveLiveLocation(zoeId(), clientBot(), live.message_id, { latitude: 52.38, longitude: 4.9 })
    await sim.waitFor(() => (sim.stats().calls.editMessageLiveLocation ?? 0) >= callsBefore + 2)
    for (const step of [1, 2, 3, 4]) sim.moveLiveLocation(zoeId(), clientBot(), live.message_id, { latitude: 52.38 + step / 100, longitude: 4.9 })
    const [stored] = await h.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.chatId, zoeId()), eq(messages.messageId, live.message_id)))
    await pollUntil(async () => (await h.database.db.select().from(messages).where(eq(messages.id, stored!.id)))[0]?.editCount === 5)

    const [csLink] = await h.database.db
      .select()
      .from(relayLinks)
      .where(and(eq(relayLinks.messageId, stored!.id), eq(relayLinks.chatId, cs())))
    const csEdits = () =>
      h.database.db
        .select()
        .from(outbox)
        .where(eq(outbox.job, JSON.stringify({ type: 'edit_copy', linkId: csLink!.id })))
    const waiting = await csEdits()
    expect(waiting.map((row) => row.state)).toEqual(['pending'])
    // Telegram's wait is over: the one waiting edit carries the last position.
    await h.database.db
      .update(outbox)
      .set({ nextAttemptAt: sql`CURRENT_TIMESTAMP(3)` })
      .where(eq(outbox.id, waiting[0]!.id))
    const at = (chat: number, id: number) => sim.chatMessages(chat).find((m) => m.message_id === id)?.raw.location
    await sim.waitFor(() => at(cs(), csCopy.message_id)?.latitude === 52.42 && at(north(), crCopy.message_id)?.latitude === 52.42)
    expect(await csEdits()).toHaveLength(1)
    for (const [chat, thread, copy] of [
      [cs(), zoe.cs, csCopy],
      [north(), zoe.cr, crCopy],
    ] as const) {
      const since = sim.chatMessages(chat, { threadId: thread }).filter((m) => m.message_id >= copy.message_id)
      expect(since.map((m) => m.message_id)).toEqual([copy.message_id])
    }
  })
})

describe('staff live locations', () => {
  it('sends a staff live location live to the client and the mirror, and moves both', async () => {
    const { sim, world } = h
    const live = sim.sendGroup(world.people.alice.id, cs(), { location: { latitude: 40.41, longitude: -3.7, live_period: 900 } }, { threadId: zoe.cs })
    const isLiveCopy = (m: { kind: string; from: { is_bot: boolean }; raw: { location?: { live_period?: number; latitude: number } } }) =>
      m.kind === 'location' && m.from.is_bot && (m.raw.location?.live_period ?? 0) > 0 && m.raw.location?.latitude === 40.41
    const atClient = await sim.waitFor(() => sim.privateMessages(zoeId(), clientBot()).find(isLiveCopy))
    const mirror = await waitForTopicMessage(h, north(), zoe.cr, isLiveCopy)
    sim.moveLiveLocation(world.people.alice.id, cs(), live.message_id, { latitude: 40.42, longitude: -3.7 })
    await sim.waitFor(() => sim.privateMessages(zoeId(), clientBot()).find((m) => m.message_id === atClient.message_id)?.raw.location?.latitude === 40.42)
    await sim.waitFor(() => sim.chatMessages(north()).find((m) => m.message_id === mirror.message_id)?.raw.location?.latitude === 40.42)
  })
})

describe('/delete', () => {
  it('deletes a staff message everywhere, and refuses others’ messages to non-leads', async () => {
    const { sim, world } = h
    const staff = sim.sendGroup(world.people.bob.id, cs(), { text: 'Wrong customer, sorry' }, { threadId: zoe.cs })
    const atClient = await waitForPrivate(h, zoeId(), clientBot(), 'Wrong customer, sorry')
    const mirror = await waitForTopicMessage(h, north(), zoe.cr, 'Wrong customer, sorry')
    sim.sendGroup(world.people.carol.id, north(), { text: '/delete' }, { threadId: zoe.cr, replyTo: mirror.message_id })
    await waitForTopicMessage(h, north(), zoe.cr, 'only your own messages')
    const command = sim.sendGroup(world.people.bob.id, cs(), { text: '/delete' }, { threadId: zoe.cs, replyTo: staff.message_id })
    await sim.waitFor(() => sim.privateMessages(zoeId(), clientBot(), { includeDeleted: true }).find((m) => m.message_id === atClient.message_id && m.deleted))
    await sim.waitFor(() => sim.chatMessages(north(), { includeDeleted: true }).find((m) => m.message_id === mirror.message_id && m.deleted))
    await sim.waitFor(() => sim.chatMessages(cs(), { includeDeleted: true }).find((m) => m.message_id === staff.message_id && m.deleted))
    await sim.waitFor(() => sim.chatMessages(cs(), { includeDeleted: true }).find((m) => m.message_id === command.message_id && m.deleted))
  })
})

describe('/delete from a mirror', () => {
  it('deletes the original in its own chat with its own bot and every copy, and touches nothing else', async () => {
    const { sim, world } = h
    // Make sure the CS group holds an unrelated message with the id the CR original will get.
    await outboxSettled(h.app.db)
    const lastId = (chat: number) => Math.max(...sim.chatMessages(chat, { includeDeleted: true }).map((m) => m.message_id))
    const liveInCs = (id: number) => sim.chatMessages(cs()).find((m) => m.message_id === id)
    for (let i = 0; i < 50 && !liveInCs(lastId(north()) + 1); i++) {
      if (lastId(cs()) <= lastId(north())) sim.sendGroup(world.people.bob.id, cs(), { text: 'Chatter in General' })
      else sim.sendGroup(world.people.carol.id, north(), { text: 'Chatter in General' })
    }
    const original = sim.sendGroup(world.people.carol.id, north(), { text: 'CR said this by mistake' }, { threadId: zoe.cr })
    const atClient = await waitForPrivate(h, zoeId(), clientBot(), 'CR said this by mistake')
    const mirror = await waitForTopicMessage(h, cs(), zoe.cs, 'CR said this by mistake')
    // The CS group's message that has the original's id: unrelated, it must stay.
    const bystander = liveInCs(original.message_id)
    expect(bystander).toBeDefined()
    expect(bystander!.message_id).not.toBe(mirror.message_id)
    const command = sim.sendGroup(world.people.alice.id, cs(), { text: '/delete' }, { threadId: zoe.cs, replyTo: mirror.message_id })
    await sim.waitFor(() => sim.chatMessages(north(), { includeDeleted: true }).find((m) => m.message_id === original.message_id && m.deleted))
    await sim.waitFor(() => sim.privateMessages(zoeId(), clientBot(), { includeDeleted: true }).find((m) => m.message_id === atClient.message_id && m.deleted))
    await sim.waitFor(() => sim.chatMessages(cs(), { includeDeleted: true }).find((m) => m.message_id === mirror.message_id && m.deleted))
    await sim.waitFor(() => sim.chatMessages(cs(), { includeDeleted: true }).find((m) => m.message_id === command.message_id && m.deleted))
    await outboxSettled(h.app.db)
    expect(sim.chatMessages(cs()).find((m) => m.message_id === bystander!.message_id)).toBeDefined()
  })
})

describe('/delete after 48 hours', () => {
  it('answers clearly instead of trying', async () => {
    const { sim, world } = h
    const staff = sim.sendGroup(world.people.alice.id, cs(), { text: 'Old news' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Old news')
    sim.advanceClock(49 * 3600)
    sim.sendGroup(world.people.alice.id, cs(), { text: '/delete' }, { threadId: zoe.cs, replyTo: staff.message_id })
    await waitForTopicMessage(h, cs(), zoe.cs, 'older than 48 hours')
    expect(sim.privateMessages(zoeId(), clientBot()).some((m) => m.text?.includes('Old news'))).toBe(true)
  })
})

describe('blocked client', () => {
  it('tells staff once, answers later messages at once, and clears on unblock', async () => {
    const { sim, world } = h
    sim.blockBot(zoeId(), clientBot())
    await waitForTopicMessage(h, cs(), zoe.cs, 'The client blocked the bot')
    await waitForTopicMessage(h, north(), zoe.cr, 'The client blocked the bot')
    sim.sendGroup(world.people.alice.id, cs(), { text: 'Are you there?' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs(), zoe.cs, 'Not delivered: the client blocked the bot')
    expect(sim.chatMessages(cs(), { threadId: zoe.cs }).filter((m) => m.text?.includes('The client blocked the bot')).length).toBe(1)
    sim.unblockBot(zoeId(), clientBot())
    await waitForTopicMessage(h, cs(), zoe.cs, 'The client unblocked the bot')
    sim.sendGroup(world.people.alice.id, cs(), { text: 'Welcome back' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Welcome back')
  })

  it('marks the customer blocked when a send fails with 403, without retrying', async () => {
    const { sim, world } = h
    const yuri = await onboard(h, world.people.yuri, 'yuri@example.com', 'south')
    sim.failNext({ token: world.bots.client.token, method: 'sendMessage', chatId: world.people.yuri.id, error_code: 403, description: 'Forbidden: bot was blocked by the user' })
    sim.sendGroup(world.people.dave.id, world.groups.south.id, { text: 'Dave here, any news?' }, { threadId: yuri.cr })
    await waitForTopicMessage(h, world.groups.south.id, yuri.cr, 'The client blocked the bot')
    expect(sim.privateMessages(world.people.yuri.id, clientBot()).some((m) => m.text?.includes('Dave here'))).toBe(false)
  })
})
