import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { drain, failure, startWorld, updates, type World } from './helpers.js'

let w: World
beforeEach(async () => {
  w = await startWorld()
  w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
  await drain(w.client.api)
})
afterEach(() => w.sim.close())

describe('live locations', () => {
  it('sends a live location with live_period and checks the live fields', async () => {
    const sent = await w.client.api.sendLocation(w.alice, 52.37, 4.89, { live_period: 900, heading: 90 })
    expect(sent.location).toEqual({ latitude: 52.37, longitude: 4.89, live_period: 900, heading: 90 })
    const still = await w.client.api.sendLocation(w.alice, 52.37, 4.89)
    expect(still.location).toEqual({ latitude: 52.37, longitude: 4.89 })
    expect((await failure(w.client.api.sendLocation(w.alice, 52.37, 4.89, { live_period: 30 }))).description).toBe('Bad Request: wrong live location period specified')
    expect((await failure(w.client.api.sendLocation(w.alice, 52.37, 4.89, { live_period: 900, heading: 361 }))).description).toBe('Bad Request: wrong live location heading specified')
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
