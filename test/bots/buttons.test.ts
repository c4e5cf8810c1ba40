import { describe, expect, it } from 'vitest'
import { decodeRatingPress, encodeRatingPress, ratingKeyboard } from '../../src/domain/buttons/rating.js'
import { decodeReassignButton, encodeReassignButton, type ReassignButton } from '../../src/domain/buttons/reassign.js'
import { decodeTransferButton, encodeTransferButton, type TransferButton } from '../../src/domain/buttons/transfer.js'
import { decodeTreatmentAction, encodeTreatmentAction } from '../../src/domain/buttons/treatment-prompt.js'
import { decodeQueueAssign, encodeQueueAssign } from '../../src/domain/buttons/queue.js'
import { pressedMessage } from '../../src/bots/buttons/pressed-message.js'
import { startPayloadLine } from '../../src/domain/onboarding/start.js'

describe('button codecs', () => {
  it('round-trip reassignment buttons within 64 bytes and refuse anything else', () => {
    const buttons: ReassignButton[] = [
      { kind: 'menu', customerId: 7 },
      { kind: 'team', customerId: 7, teamKey: 'south' },
      { kind: 'when', customerId: 7, teamKey: 'south', when: 'tonight' },
      { kind: 'cancel', customerId: 7, reassignmentId: 99 },
    ]
    for (const button of buttons) {
      const data = encodeReassignButton(button)
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64)
      expect(decodeReassignButton(data)).toEqual(button)
    }
    for (const forged of ['ra:m:7:x', 'ra:t:7:South!', 'ra:w:7:south:later', 'ra:c:99', 'ra:x:7', 'ra:m:-1', 'tr:open:7']) expect(decodeReassignButton(forged)).toBeUndefined()
  })

  it('round-trip the Treatment confirmation and refuse anything else', () => {
    expect(decodeTreatmentAction(encodeTreatmentAction({ action: 'open', customerId: 5 }))).toEqual({ action: 'open', customerId: 5 })
    for (const forged of ['tr:open', 'tr:close:5', 'tr:open:5:6', 'tr:open:x']) expect(decodeTreatmentAction(forged)).toBeUndefined()
  })

  it('round-trip the queue buttons within 64 bytes and refuse anything else', () => {
    const data = encodeQueueAssign({ customerId: 123456789012345, agentId: 987654321012345 })
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64)
    expect(decodeQueueAssign(data)).toEqual({ customerId: 123456789012345, agentId: 987654321012345 })
    for (const forged of ['qa:5', 'qa:5:6:7', 'qa:x:6', 'qa:5:-6', 'ra:5:6', 'qa::6']) expect(decodeQueueAssign(forged)).toBeUndefined()
  })

  it('round-trip the rating buttons within 64 bytes and refuse anything else', () => {
    const keyboard = ratingKeyboard(123_456_789_012, 987_654_321_098)
    expect(keyboard.inline_keyboard[0]!.map((button) => button.text)).toEqual(['1', '2', '3', '4', '5'])
    for (const [index, button] of keyboard.inline_keyboard[0]!.entries()) {
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64)
      expect(decodeRatingPress(button.callback_data)).toEqual({ customerId: 123_456_789_012, resolutionId: 987_654_321_098, rating: index + 1 })
    }
    expect(encodeRatingPress({ customerId: 7, resolutionId: 9, rating: 4 })).toBe('rt:7:9:4')
    for (const forged of ['rt:7:9:0', 'rt:7:9:6', 'rt:7:9', 'rt:7:9:4:1', 'rt:x:9:4', 'rt:7:-9:4', 'ra:7:9:4']) expect(decodeRatingPress(forged)).toBeUndefined()
  })

  it('round-trip transfer buttons within 64 bytes, refuse anything else, and name the prompt’s row that keeps its reason', () => {
    const buttons: TransferButton[] = [
      { kind: 'agent', customerId: 999_999_999_999_999, userId: 999_999_999_999_999 },
      { kind: 'team', customerId: 7, teamKey: 'a'.repeat(24) },
    ]
    for (const button of buttons) {
      const data = encodeTransferButton(button)
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64)
      expect(decodeTransferButton(data)).toEqual(button)
    }
    for (const forged of ['tf:a:7', 'tf:a:7:x', 'tf:t:7:South!', 'tf:a:7:8:9', 'tf:x:7:8', 'tf:a:-1:8', 'ra:t:7:south']) expect(decodeTransferButton(forged)).toBeUndefined()
    // A prompt given a reason names its row: the reason is read from there, never from the prompt's text.
    const withReason: TransferButton = { kind: 'agent', customerId: 999_999_999_999_999, userId: 999_999_999_999_999, promptId: 999_999_999_999_999 }
    expect(Buffer.byteLength(encodeTransferButton(withReason))).toBeLessThanOrEqual(64)
    expect(decodeTransferButton(encodeTransferButton(withReason))).toEqual(withReason)
    for (const forged of ['tf:n:7:8', 'tf:n:x:7:8', 'tf:n:1:7:8:9']) expect(decodeTransferButton(forged)).toBeUndefined()
  })

  it('binds a press to the buttons of the message it was pressed on', () => {
    const message = {
      message_id: 3,
      date: 1,
      chat: { id: -100, type: 'supergroup' },
      is_topic_message: true,
      message_thread_id: 9,
      reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'ra:m:7' }]] },
    }
    const query = (data: string, m: unknown = message) => ({ id: '1', from: { id: 1, is_bot: false, first_name: 'A' }, chat_instance: '1', data, message: m }) as never
    expect(pressedMessage(query('ra:m:7'), 42)).toEqual({ chatId: -100, messageId: 3, threadId: 9, botId: 42 })
    expect(pressedMessage(query('ra:m:8'), 42)).toBeUndefined()
    expect(pressedMessage(query('ra:m:7', { message_id: 3, date: 0, chat: { id: -100, type: 'supergroup' } }), 42)).toBeUndefined()
  })
})

describe('start payload on cards', () => {
  it('is one line of at most 64 characters', () => {
    expect(startPayloadLine(null)).toBe('—')
    expect(startPayloadLine(' \n\u0007 ')).toBe('—')
    expect(startPayloadLine('spring_campaign')).toBe('spring_campaign')
    expect(startPayloadLine('a\r\nb\u202ec')).toBe('a bc')
    const long = startPayloadLine('🎉'.repeat(100))
    expect([...long]).toHaveLength(64)
    expect(long.endsWith('…')).toBe(true)
  })
})
