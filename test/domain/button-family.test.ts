import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { broadcastButtons } from '../../src/domain/buttons/broadcast.js'
import { deadLetterRetryButtons, failedUpdateRetryButtons } from '../../src/domain/buttons/failed.js'
import { buttonId, CALLBACK_DATA_MAX_BYTES, defineButtonFamily } from '../../src/domain/buttons/family.js'
import { cardButtons } from '../../src/domain/buttons/onboarding-card.js'
import { queueAssignButtons } from '../../src/domain/buttons/queue.js'
import { ratingButtons } from '../../src/domain/buttons/rating.js'
import { flowButtons } from '../../src/domain/buttons/flow.js'
import { reassignButtons } from '../../src/domain/buttons/reassign.js'
import { transferButtons } from '../../src/domain/buttons/transfer.js'
import { treatmentButtons } from '../../src/domain/buttons/treatment-prompt.js'

const notes = defineButtonFamily<{ customerId: number; word: string }>({
  prefix: 'zn',
  schema: z.tuple([buttonId, z.string().regex(/^[a-z]{1,60}$/)]).transform(([customerId, word]) => ({ customerId, word })),
  parts: (value) => [value.customerId, value.word],
})

describe('defineButtonFamily', () => {
  it('encodes as prefix and parts, and decodes back through the schema', () => {
    expect(notes.encode({ customerId: 7, word: 'hello' })).toBe('zn:7:hello')
    expect(notes.decode('zn:7:hello')).toEqual({ customerId: 7, word: 'hello' })
    expect(notes.button('Hi', { customerId: 7, word: 'hi' })).toEqual({ text: 'Hi', callback_data: 'zn:7:hi' })
  })

  it('says why data is refused: another prefix, over 64 bytes, or not the schema', () => {
    expect(notes.validate('zx:7:hello')).toEqual({ ok: false, reason: 'prefix' })
    expect(notes.validate('zn7:hello')).toEqual({ ok: false, reason: 'prefix' })
    expect(notes.validate(`zn:7:${'a'.repeat(60)}`)).toEqual({ ok: false, reason: 'length' })
    for (const forged of ['zn:7', 'zn:7:hello:x', 'zn:x:hello', 'zn:-7:hello', 'zn:7:Hello', 'zn::hello', 'zn:1234567890123456:a']) {
      expect(notes.validate(forged)).toEqual({ ok: false, reason: 'schema' })
      expect(notes.decode(forged)).toBeUndefined()
    }
  })

  it('refuses to encode a button over the limit or with a colon in a part, and a prefix that is not two letters', () => {
    expect(() => notes.encode({ customerId: 7, word: 'a'.repeat(60) })).toThrow(`over ${CALLBACK_DATA_MAX_BYTES} bytes`)
    expect(() => notes.encode({ customerId: 7, word: 'a:b' })).toThrow("contains ':'")
    expect(() => defineButtonFamily({ prefix: 'notes', schema: z.tuple([]), parts: () => [] })).toThrow('two lowercase letters')
  })
})

describe('the button families', () => {
  const families = [
    cardButtons,
    reassignButtons,
    transferButtons,
    treatmentButtons,
    queueAssignButtons,
    ratingButtons,
    deadLetterRetryButtons,
    failedUpdateRetryButtons,
    flowButtons,
    broadcastButtons,
  ]

  it('have one prefix each, and their largest buttons fit', () => {
    expect(new Set(families.map((family) => family.prefix)).size).toBe(families.length)
    const id = 999_999_999_999_999
    const team = 'a'.repeat(24)
    const largest = [
      cardButtons.encode({ assignmentId: id, action: 'assign', teamKey: team }),
      reassignButtons.encode({ kind: 'when', customerId: id, teamKey: team, when: 'tonight' }),
      transferButtons.encode({ kind: 'agent', customerId: id, userId: id }),
      treatmentButtons.encode({ action: 'cancel', customerId: id }),
      queueAssignButtons.encode({ customerId: id, agentId: id }),
      ratingButtons.encode({ customerId: id, resolutionId: id, rating: 5 }),
      deadLetterRetryButtons.encode({ outboxId: id }),
      failedUpdateRetryButtons.encode({ botId: id, updateId: id }),
      flowButtons.encode({ kind: 'step', customerId: id, flow: 'f'.repeat(16), step: 's'.repeat(16), index: 7 }),
      broadcastButtons.encode({ action: 'go', broadcastId: id }),
    ]
    for (const [index, data] of largest.entries()) expect(families[index]!.decode(data)).toBeDefined()
    expect(failedUpdateRetryButtons.decode('du:7:9')).toEqual({ botId: 7, updateId: 9 })
    expect(deadLetterRetryButtons.decode('dl:7:9')).toBeUndefined()
    expect(broadcastButtons.decode('bc:x:12')).toEqual({ action: 'x', broadcastId: 12 })
    expect(broadcastButtons.decode('bc:send:12')).toBeUndefined()
  })

  it('are all answered through the binding (no hand-written callback handler in the bots)', () => {
    const dir = join(import.meta.dirname, '../../src/bots')
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'))
    const handWritten = files.filter((file) => file !== join('buttons', 'bind.ts') && /\.callbackQuery\(/.test(readFileSync(join(dir, file), 'utf8')))
    expect(handWritten).toEqual([])
  })
})
