import { describe, expect, it } from 'vitest'
import { drain, failure, updates, useWorldWithAlice } from './helpers.js'

const w = useWorldWithAlice()

describe('reactions', () => {
  it('lets a bot set one standard reaction, silently', async () => {
    const emoji = (e: string) => [{ type: 'emoji', emoji: e }] as never
    expect(await w.client.api.setMessageReaction(w.alice, 1, emoji('👍'))).toBe(true)
    expect((await failure(w.client.api.setMessageReaction(w.alice, 1, emoji('🦖')))).description).toBe('Bad Request: REACTION_INVALID')
    const two = [
      { type: 'emoji', emoji: '👍' },
      { type: 'emoji', emoji: '🔥' },
    ] as never
    expect((await failure(w.client.api.setMessageReaction(w.alice, 1, two))).description).toBe('Bad Request: REACTIONS_TOO_MANY')
    await w.client.api.setMessageReaction(w.alice, 1, emoji('🔥'))
    expect(w.sim.privateMessages(w.alice, w.client.id)[0]?.reactions).toEqual([{ by: w.client.id, emoji: '🔥' }])
    expect(await updates(w.client.api, undefined, ['message', 'message_reaction'])).toEqual([])
  })

  it('sets a bot reaction on an album item on the album’s first non-deleted item', async () => {
    const emoji = (e: string) => [{ type: 'emoji', emoji: e }] as never
    const album = w.sim.sendAlbum(w.alice, { botId: w.client.id }, [{ photo: {} }, { photo: {} }, { photo: {} }])
    const [first, second, third] = album.map((m) => m.message_id)
    await w.client.api.setMessageReaction(w.alice, third!, emoji('👍'))
    const reactionsOf = (id: number) => w.sim.privateMessages(w.alice, w.client.id).find((m) => m.message_id === id)?.reactions
    expect(reactionsOf(first!)).toEqual([{ by: w.client.id, emoji: '👍' }])
    expect(reactionsOf(third!)).toEqual([])
    expect(w.sim.stats().albumReactionsMoved).toBe(1)
    await w.client.api.setMessageReaction(w.alice, first!, emoji('🔥'))
    expect(w.sim.stats().albumReactionsMoved).toBe(1)
    await w.client.api.deleteMessage(w.alice, first!)
    await w.client.api.setMessageReaction(w.alice, third!, emoji('🎉'))
    expect(reactionsOf(second!)).toEqual([{ by: w.client.id, emoji: '🎉' }])
  })

  it('delivers message_reaction only to bots that asked (and are admins in groups)', async () => {
    w.sim.react(w.alice, w.client.id, 1, ['👍'])
    expect(await updates(w.client.api)).toEqual([])
    await updates(w.client.api, undefined, ['message', 'message_reaction'])
    w.sim.react(w.alice, w.client.id, 1, ['❤'])
    const [u] = await updates(w.client.api)
    expect(u?.message_reaction).toMatchObject({ message_id: 1, old_reaction: [{ type: 'emoji', emoji: '👍' }], new_reaction: [{ type: 'emoji', emoji: '❤' }] })

    const m = w.sim.sendGroup(w.bob, w.group, { text: 'x' })
    await updates(w.cs.api, undefined, ['message', 'message_reaction'])
    await drain(w.cs.api)
    w.sim.react(w.bob, w.group, m.message_id, ['🔥'])
    expect((await updates(w.cs.api)).map((x) => x.message_reaction?.user?.id)).toEqual([w.bob])
  })
})

describe('callback queries', () => {
  it('delivers button presses and returns the answer to the presser', async () => {
    const m = await w.client.api.sendMessage(w.alice, 'pick', { reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] } })
    expect(() => w.sim.pressButton(w.alice, w.client.id, m.message_id, 'no')).toThrow()
    const pressed = w.sim.pressButton(w.alice, w.client.id, m.message_id, 'yes')
    const [u] = await updates(w.client.api)
    const q = u!.callback_query!
    expect(q).toMatchObject({ data: 'yes', from: { id: w.alice }, message: { message_id: m.message_id } })
    expect(q.chat_instance).toMatch(/^\d+$/)
    await w.client.api.answerCallbackQuery(q.id, { text: 'Done' })
    expect(await pressed).toEqual({ text: 'Done' })
    expect((await failure(w.client.api.answerCallbackQuery(q.id))).description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid')
  })

  it('sends a press to the bot that posted the message, and only that bot may answer it', async () => {
    const fromCr = await w.cr.api.sendMessage(w.group, 'pick', { reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] } })
    await drain(w.cs.api)
    await drain(w.cr.api)
    const pressed = w.sim.pressButton(w.bob, w.group, fromCr.message_id, 'yes')
    expect(await updates(w.cs.api, undefined, ['callback_query'])).toEqual([])
    const [u] = await updates(w.cr.api, undefined, ['callback_query'])
    const q = u!.callback_query!
    expect(q).toMatchObject({ data: 'yes', from: { id: w.bob }, message: { message_id: fromCr.message_id, from: { id: w.cr.id } } })
    expect((await failure(w.cs.api.answerCallbackQuery(q.id))).error_code).toBe(400)
    await w.cr.api.answerCallbackQuery(q.id, { text: 'ok' })
    expect(await pressed).toEqual({ text: 'ok' })
  })

  it('lets a test forge callback data that is not on the message, as a modified client could', async () => {
    const m = await w.client.api.sendMessage(w.alice, 'pick', { reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] } })
    void w.sim.pressButton(w.alice, w.client.id, m.message_id, 'forged:1', { forged: true })
    const [u] = await updates(w.client.api)
    expect(u!.callback_query).toMatchObject({ data: 'forged:1', message: { message_id: m.message_id, reply_markup: { inline_keyboard: [[{ callback_data: 'yes' }]] } } })
    const plain = await w.client.api.sendMessage(w.alice, 'no buttons')
    expect(() => w.sim.pressButton(w.alice, w.client.id, plain.message_id, 'x', { forged: true })).toThrow()
  })

  it('refuses answers after 15 seconds', async () => {
    const m = await w.client.api.sendMessage(w.alice, 'pick', { reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] } })
    void w.sim.pressButton(w.alice, w.client.id, m.message_id, 'yes')
    const [u] = await updates(w.client.api)
    w.sim.advanceClock(16)
    expect((await failure(w.client.api.answerCallbackQuery(u!.callback_query!.id))).error_code).toBe(400)
  })
})

describe('blocking', () => {
  it('reports block and unblock with my_chat_member and fails sends with 403 meanwhile', async () => {
    w.sim.blockBot(w.alice, w.client.id)
    const e = await failure(w.client.api.sendMessage(w.alice, 'hello?'))
    expect([e.error_code, e.description]).toEqual([403, 'Forbidden: bot was blocked by the user'])
    w.sim.unblockBot(w.alice, w.client.id)
    const list = await updates(w.client.api)
    expect(list.map((u) => u.my_chat_member?.new_chat_member.status)).toEqual(['kicked', 'member'])
    await w.client.api.sendMessage(w.alice, 'welcome back')
  })

  it('fails sends of a kicked bot with 403', async () => {
    w.sim.removeMember(w.group, w.cr.id)
    const e = await failure(w.cr.api.sendMessage(w.group, 'x'))
    expect([e.error_code, e.description]).toEqual([403, 'Forbidden: bot was kicked from the supergroup chat'])
  })
})
