import type { Message } from 'grammy/types'
import { describe, expect, it } from 'vitest'
import { contentOf, copyLivePeriod, LIVE_FOREVER } from '../../src/delivery/render.js'

const location = (fields: Record<string, unknown>) =>
  ({ message_id: 1, date: 1000, chat: { id: 1, type: 'private' }, location: { latitude: 1, longitude: 2, ...fields } }) as unknown as Message

describe('live locations', () => {
  it('reads a live location with its end, and a static one without', () => {
    expect(contentOf(location({ live_period: 600, heading: 90 }))).toEqual({ kind: 'location', params: { latitude: 1, longitude: 2 }, live: { until: 1600, heading: 90 } })
    expect(contentOf(location({ live_period: LIVE_FOREVER }))).toEqual({ kind: 'location', params: { latitude: 1, longitude: 2 }, live: {} })
    expect(contentOf(location({}))).toEqual({ kind: 'location', params: { latitude: 1, longitude: 2 } })
  })

  it('gives a copy the original’s remaining time, at most a day, and none under a minute', () => {
    expect(copyLivePeriod({ until: 1600 }, 1100)).toBe(500)
    expect(copyLivePeriod({ until: 1600 }, 1550)).toBeUndefined()
    expect(copyLivePeriod({ until: 200_000 }, 1000)).toBe(86400)
    expect(copyLivePeriod({}, 1000)).toBe(LIVE_FOREVER)
  })
})
