import { describe, expect, it } from 'vitest'
import { drain, failure, updates, useWorldWithAlice } from './helpers.js'

const w = useWorldWithAlice()

const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'

describe('edits', () => {
  it('edits own messages; identical edits are "not modified"; others’ can’t be edited', async () => {
    const m = await w.client.api.sendMessage(w.alice, 'v1')
    const edited = await w.client.api.editMessageText(w.alice, m.message_id, 'v2')
    expect(edited).toMatchObject({ text: 'v2' })
    expect((edited as { edit_date?: number }).edit_date).toBeGreaterThan(0)
    expect((await failure(w.client.api.editMessageText(w.alice, m.message_id, 'v2'))).description).toBe(NOT_MODIFIED)
    expect((await failure(w.client.api.editMessageText(w.alice, 1, 'mine?'))).description).toBe("Bad Request: message can't be edited")
    expect((await failure(w.client.api.editMessageText(w.alice, 999, 'x'))).description).toBe('Bad Request: message to edit not found')
    expect(w.sim.privateMessages(w.alice, w.client.id).at(-1)).toMatchObject({ text: 'v2', edited: true })
    expect(await updates(w.client.api)).toEqual([])
  })

  it('edits captions and keyboards', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] }
    const m = await w.client.api.sendMessage(w.alice, 'k', { reply_markup: keyboard })
    expect((await failure(w.client.api.editMessageReplyMarkup(w.alice, m.message_id, { reply_markup: keyboard }))).description).toBe(NOT_MODIFIED)
    await w.client.api.editMessageReplyMarkup(w.alice, m.message_id)
    expect(w.sim.privateMessages(w.alice, w.client.id).at(-1)?.reply_markup).toBeUndefined()
    expect((await failure(w.client.api.editMessageCaption(w.alice, m.message_id, { caption: 'c' }))).error_code).toBe(400)
  })

  it('sends edited_message to the bot when the user edits', async () => {
    w.sim.editMessage(w.alice, w.client.id, 1, { text: 'hi (edited)' })
    const [u] = await updates(w.client.api)
    expect(u?.edited_message).toMatchObject({ message_id: 1, text: 'hi (edited)' })
    expect(u?.edited_message?.edit_date).toBeGreaterThan(0)
  })
})

describe('deletes', () => {
  it('deletes own and users’ messages in private chats, within 48 hours', async () => {
    const m = await w.client.api.sendMessage(w.alice, 'bye')
    expect(await w.client.api.deleteMessage(w.alice, m.message_id)).toBe(true)
    expect((await failure(w.client.api.deleteMessage(w.alice, m.message_id))).description).toBe('Bad Request: message to delete not found')
    w.sim.advanceClock(48 * 3600 + 1)
    expect((await failure(w.client.api.deleteMessage(w.alice, 1))).description).toBe("Bad Request: message can't be deleted for everyone")
    expect(w.sim.chatMessages(w.alice, { includeDeleted: true, botId: w.client.id }).map((v) => v.deleted)).toEqual([false, true])
  })

  it('needs can_delete_messages for others’ messages in groups', async () => {
    const plain = w.sim.createBot({ token: '1011:p', username: 'p2_bot' })
    w.sim.promote(w.group, plain.id, { can_manage_topics: true })
    const { Api } = await import('grammy')
    const api = new Api(plain.token, { apiRoot: w.sim.url })
    const bobs = w.sim.sendGroup(w.bob, w.group, { text: 'oops' })
    expect((await failure(api.deleteMessage(w.group, bobs.message_id))).description).toBe("Bad Request: message can't be deleted")
    expect(await w.cs.api.deleteMessage(w.group, bobs.message_id)).toBe(true)
    const own = await w.cs.api.sendMessage(w.group, 'a')
    const own2 = await w.cs.api.sendMessage(w.group, 'b')
    expect(await w.cs.api.deleteMessages(w.group, [own.message_id, own2.message_id, 999])).toBe(true)
    w.sim.advanceClock(49 * 3600)
    const late = await api.sendMessage(w.group, 'late')
    w.sim.advanceClock(49 * 3600)
    expect((await failure(api.deleteMessage(w.group, late.message_id))).description).toBe("Bad Request: message can't be deleted")
  })
})

describe('live locations', () => {
  it('sends a live location with live_period and checks the live fields', async () => {
    const sent = await w.client.api.sendLocation(w.alice, 52.37, 4.89, { live_period: 900, heading: 90 })
    expect(sent.location).toEqual({ latitude: 52.37, longitude: 4.89, live_period: 900, heading: 90 })
    const still = await w.client.api.sendLocation(w.alice, 52.37, 4.89)
    expect(still.location).toEqual({ latitude: 52.37, longitude: 4.89 })
    expect((await failure(w.client.api.sendLocation(w.alice, 52.37, 4.89, { live_period: 30 }))).description).toBe('Bad Request: wrong live location period specified')
    expect((await failure(w.client.api.sendLocation(w.alice, 52.37, 4.89, { live_period: 900, heading: 361 }))).description).toBe(
      'Bad Request: wrong live location heading specified',
    )
    expect((await w.client.api.sendLocation(w.alice, 1, 2, { live_period: 0x7fffffff })).location.live_period).toBe(0x7fffffff)
  })

  it('moves a live location with editMessageLiveLocation until it expires or is stopped', async () => {
    const sent = await w.client.api.sendLocation(w.alice, 52.37, 4.89, { live_period: 120 })
    const moved = await w.client.api.editMessageLiveLocation(w.alice, sent.message_id, 52.38, 4.9)
    expect(moved).toMatchObject({ location: { latitude: 52.38, longitude: 4.9, live_period: 120 }, edit_date: expect.any(Number) })
    const same = await failure(w.client.api.editMessageLiveLocation(w.alice, sent.message_id, 52.38, 4.9))
    expect(same.description).toMatch(/^Bad Request: message is not modified/)
    const text = await w.client.api.sendMessage(w.alice, 'not a location')
    expect((await failure(w.client.api.editMessageLiveLocation(w.alice, text.message_id, 1, 2))).description).toBe('Bad Request: there is no live location in the message to edit')
    const still = await w.client.api.sendLocation(w.alice, 1, 2)
    expect((await failure(w.client.api.editMessageLiveLocation(w.alice, still.message_id, 1, 3))).description).toBe("Bad Request: message can't be edited")
    expect((await failure(w.client.api.editMessageLiveLocation(w.alice, 999, 1, 3))).description).toBe('Bad Request: message to edit not found')

    w.sim.advanceClock(121)
    expect((await failure(w.client.api.editMessageLiveLocation(w.alice, sent.message_id, 52.39, 4.9))).description).toBe("Bad Request: message can't be edited")

    const other = await w.client.api.sendLocation(w.alice, 10, 10, { live_period: 600 })
    await w.client.api.stopMessageLiveLocation(w.alice, other.message_id)
    expect((await failure(w.client.api.editMessageLiveLocation(w.alice, other.message_id, 10, 11))).description).toBe("Bad Request: message can't be edited")
  })

  it('tells the bot a user’s live location moved with edited_message', async () => {
    const live = w.sim.sendPrivate(w.alice, w.client.id, { location: { latitude: 48.85, longitude: 2.35, live_period: 3600 } })
    expect(live.location?.live_period).toBe(3600)
    await drain(w.client.api)
    w.sim.moveLiveLocation(w.alice, w.client.id, live.message_id, { latitude: 48.86, longitude: 2.36 })
    const [u] = await updates(w.client.api)
    expect(u?.edited_message).toMatchObject({ message_id: live.message_id, location: { latitude: 48.86, longitude: 2.36, live_period: 3600 } })
    const still = w.sim.sendPrivate(w.alice, w.client.id, { location: { latitude: 1, longitude: 2 } })
    expect(() => w.sim.moveLiveLocation(w.alice, w.client.id, still.message_id, { latitude: 1, longitude: 3 })).toThrow()
  })
})
