import { describe, expect, it } from 'vitest'
import { decodeDestination, destinationOf, encodeDestination, privateChatOf, targetOf, type Destination } from '../../src/delivery/destination.js'

describe('outbox destinations', () => {
  it('writes the stored format rows use, and reads back what it wrote', () => {
    const cases: Array<[Destination, string]> = [
      [{ kind: 'chat', chatId: -1001234 }, 'chat:-1001234'],
      [{ kind: 'private_chat', userId: 42, botId: 7001 }, 'chat:42:bot:7001'],
      [{ kind: 'private_chat', userId: 42, botId: 7001, aside: true }, 'chat:42:bot:7001:aside'],
      [{ kind: 'topic', topicId: 7 }, 'topic:7'],
      [{ kind: 'system_topic', systemTopicId: 3 }, 'system:3'],
      [{ kind: 'topic', topicId: 7, aside: true }, 'topic:7:aside'],
    ]
    for (const [destination, stored] of cases) {
      expect(encodeDestination(destination)).toBe(stored)
      expect(decodeDestination(stored)).toEqual(destination)
    }
  })

  it('makes a private chat the sending bot’s own, so two bots’ chats with one person are two streams', () => {
    const acme = destinationOf({ kind: 'chat', chatId: 42 }, 7001)
    const beta = destinationOf({ kind: 'chat', chatId: 42 }, 8001)
    expect(encodeDestination(acme)).not.toBe(encodeDestination(beta))
    expect(targetOf(acme)).toEqual({ kind: 'chat', chatId: 42 })
    expect(privateChatOf(acme)).toBe(42)
    // A group chat is one stream whichever bot of the pool posts.
    expect(encodeDestination(destinationOf({ kind: 'chat', chatId: -100 }, 7001))).toBe(encodeDestination(destinationOf({ kind: 'chat', chatId: -100 }, 8001)))
    expect(privateChatOf(destinationOf({ kind: 'chat', chatId: -100 }, 7001))).toBeUndefined()
    expect(encodeDestination(destinationOf({ kind: 'topic', topicId: 5 }, 7001, { aside: true }))).toBe('topic:5:aside')
  })

  it('refuses to write a private chat without its bot', () => {
    expect(() => encodeDestination({ kind: 'chat', chatId: 42 })).toThrow(/names its bot/)
  })

  it('still reads a private chat stored before migration 0011 (no bot)', () => {
    expect(decodeDestination('chat:42')).toEqual({ kind: 'chat', chatId: 42 })
    expect(decodeDestination('chat:42:aside')).toEqual({ kind: 'chat', chatId: 42, aside: true })
    expect(privateChatOf(decodeDestination('chat:42'))).toBe(42)
  })

  it('refuses strings no encoder wrote', () => {
    for (const stored of ['', 'topic:', 'topic:x', 'room:5', 'topic:5:later', 'chat_id:5', 'topic:5:bot:1', 'chat:-100:bot:1', 'chat:42:bot:', 'chat:42:aside:bot:1'])
      expect(decodeDestination(stored)).toBeUndefined()
  })
})
