import { describe, expect, it } from 'vitest'
import { decodeDestination, encodeDestination, type Destination } from '../../src/delivery/destination.js'

describe('outbox destinations', () => {
  it('writes the stored format existing rows use, and reads back what it wrote', () => {
    const cases: Array<[Destination, string]> = [
      [{ kind: 'chat', chatId: 42 }, 'chat:42'],
      [{ kind: 'chat', chatId: -1001234 }, 'chat:-1001234'],
      [{ kind: 'topic', topicId: 7 }, 'topic:7'],
      [{ kind: 'system_topic', systemTopicId: 3 }, 'system:3'],
      [{ kind: 'topic', topicId: 7, aside: true }, 'topic:7:aside'],
    ]
    for (const [destination, stored] of cases) {
      expect(encodeDestination(destination)).toBe(stored)
      expect(decodeDestination(stored)).toEqual(destination)
    }
  })

  it('refuses strings no encoder wrote', () => {
    for (const stored of ['', 'topic:', 'topic:x', 'room:5', 'topic:5:later', 'chat_id:5']) expect(decodeDestination(stored)).toBeUndefined()
  })
})
