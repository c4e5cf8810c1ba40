import { describe, expect, it } from 'vitest'
import type { LinkWithMessage } from '../../src/db/repositories/relay.js'
import { combinedText } from '../../src/delivery/coalesce.js'

/** A stored client text and its relay link, as the combined copy reads them. */
const part = (text: string, o: { header?: string; entities?: unknown[] } = {}): LinkWithMessage =>
  ({
    link: { header: o.header ?? null },
    message: { raw: JSON.stringify({ message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text, ...(o.entities ? { entities: o.entities } : {}) }) },
    topic: null,
  }) as unknown as LinkWithMessage

describe('combined copy text', () => {
  it('keeps each original whole, in order, with its header and its formatting shifted into place', () => {
    const combined = combinedText([part('hello 👋', { header: 'Zoe' }), part('see bold', { entities: [{ type: 'bold', offset: 4, length: 4 }] })])
    expect(combined.text).toBe('Zoe\nhello 👋\n\nsee bold')
    expect(combined.entities).toEqual([
      { type: 'bold', offset: 0, length: 3 },
      // UTF-16 offsets: the emoji counts two.
      { type: 'bold', offset: 'Zoe\nhello 👋\n\nsee '.length, length: 4 },
    ])
    expect(combined.text.slice(combined.entities[1]!.offset, combined.entities[1]!.offset + 4)).toBe('bold')
  })
})
