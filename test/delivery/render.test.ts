import { GrammyError, HttpError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { backoffMs, classifyTelegramError, describeError } from '../../src/delivery/classify-error.js'
import { splitCaption, splitText, withHeader } from '../../src/delivery/render.js'
import { decodeCardAction, encodeCardAction } from '../../src/domain/buttons/onboarding-card.js'
import { normaliseEmail } from '../../src/domain/accounts/directory.js'
import { toStandardReaction } from '../../src/domain/relay/standard-reactions.js'

const telegramError = (error_code: number, description: string, parameters = {}) =>
  new GrammyError('call failed', { ok: false, error_code, description, parameters }, 'sendMessage', {})

describe('failure classification', () => {
  it.each([
    [telegramError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), { kind: 'rate_limited', retryAfterSeconds: 7 }],
    [telegramError(502, 'Bad Gateway'), { kind: 'transient' }],
    [new HttpError('network down', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), { kind: 'transient' }],
    [new HttpError('socket hang up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), { kind: 'uncertain' }],
    [telegramError(403, 'Forbidden: bot was blocked by the user'), { kind: 'blocked' }],
    [telegramError(403, 'Forbidden: bot was kicked from the supergroup chat'), { kind: 'no_rights' }],
    [telegramError(400, 'Bad Request: have no write access to the chat'), { kind: 'no_rights' }],
    [telegramError(403, 'Forbidden: CHAT_WRITE_FORBIDDEN'), { kind: 'no_rights' }],
    [telegramError(400, 'Bad Request: CHAT_WRITE_FORBIDDEN'), { kind: 'no_rights' }],
    [telegramError(403, "Forbidden: bot can't initiate conversation with a user"), { kind: 'never_started' }],
    [telegramError(400, 'Bad Request: message thread not found'), { kind: 'topic_missing' }],
    [telegramError(400, 'Bad Request: TOPIC_CLOSED'), { kind: 'topic_closed' }],
    [telegramError(400, 'Bad Request: message to be replied not found'), { kind: 'reply_target_gone' }],
    [telegramError(400, "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 3"), { kind: 'parse_error' }],
    // Long texts and captions are split before sending: an overlong one is a plain permanent failure.
    [telegramError(400, 'Bad Request: message is too long'), { kind: 'permanent' }],
    [
      telegramError(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      ),
      { kind: 'not_modified' },
    ],
    // Staff groups are forums (supergroups already); a basic group's upgrade is a permanent failure.
    [telegramError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -100123 }), { kind: 'permanent' }],
    [telegramError(400, 'Bad Request: something new'), { kind: 'permanent' }],
  ])('classifies %s', (error, expected) => {
    expect(classifyTelegramError(error)).toEqual(expected)
  })

  it("keeps an upgraded group's new chat id in the error description (dead letters, log)", () => {
    const upgraded = telegramError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -100123 })
    expect(describeError(upgraded)).toBe('sendMessage: 400 Bad Request: group chat was upgraded to a supergroup chat (new chat id -100123)')
  })

  it('backs off exponentially with jitter, capped at five minutes', () => {
    expect(backoffMs(1, () => 0)).toBe(500)
    expect(backoffMs(1, () => 1)).toBe(1000)
    expect(backoffMs(4, () => 1)).toBe(8000)
    expect(backoffMs(40, () => 1)).toBe(300_000)
  })
})

describe('rendering', () => {
  it('prepends a bold attribution and shifts entities by UTF-16 length', () => {
    const result = withHeader('Zoë · CS', 'hi 👋 there', [{ type: 'italic', offset: 6, length: 5 }])
    expect(result.text).toBe('Zoë · CS\nhi 👋 there')
    expect(result.entities).toEqual([
      { type: 'bold', offset: 0, length: 8 },
      { type: 'italic', offset: 15, length: 5 },
    ])
  })

  it('cuts a caption over 1024 characters at a word, splitting an entity that crosses the cut into both parts', () => {
    const text = 'word '.repeat(300).trim()
    const { caption, rest } = splitCaption(text, [
      { type: 'bold', offset: 1000, length: 100 },
      { type: 'italic', offset: 1200, length: 4 },
    ])
    expect(caption.text.length).toBeLessThanOrEqual(1024)
    expect(caption.text.endsWith(' ')).toBe(true)
    expect(caption.text + rest!.text).toBe(text)
    expect(caption.entities).toEqual([{ type: 'bold', offset: 1000, length: caption.text.length - 1000 }])
    expect(rest!.entities).toEqual([
      { type: 'bold', offset: 0, length: 1100 - caption.text.length },
      { type: 'italic', offset: 1200 - caption.text.length, length: 4 },
    ])
    expect(splitCaption('short', [])).toEqual({ caption: { text: 'short', entities: [] } })
  })

  it('splits long text at paragraph, line or word boundaries, keeping entities in their part', () => {
    const paragraph = 'word '.repeat(700).trim()
    const text = `${paragraph}\n\n${paragraph}`
    const parts = splitText(
      text,
      [
        { type: 'bold', offset: 3480, length: 10 },
        { type: 'italic', offset: 3495, length: 10 },
      ],
      4096,
    )
    expect(parts).toHaveLength(2)
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true)
    expect(parts.map((p) => p.text).join('')).toBe(text)
    expect(parts[0]!.text.endsWith('\n\n')).toBe(true)
    // An entity across the cut is clipped into both parts.
    expect(parts[0]!.entities).toEqual([
      { type: 'bold', offset: 3480, length: 10 },
      { type: 'italic', offset: 3495, length: 6 },
    ])
    expect(parts[1]!.entities).toEqual([{ type: 'italic', offset: 0, length: 4 }])
  })
})

describe('small domain rules', () => {
  it('normalises emails and rejects malformed ones', () => {
    expect(normaliseEmail('  Zoe@Example.COM ')).toBe('zoe@example.com')
    expect(normaliseEmail('zoe@example')).toBeUndefined()
    expect(normaliseEmail('two words@example.com')).toBeUndefined()
  })

  it('round-trips card actions and refuses forged callback data', () => {
    for (const action of [
      { assignmentId: 12, action: 'assign', teamKey: 'north' },
      { assignmentId: 3, action: 'treatment' },
      { assignmentId: 4, action: 'reject' },
    ] as const) {
      const data = encodeCardAction(action)
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64)
      expect(decodeCardAction(data)).toEqual(action)
    }
    expect(decodeCardAction('as:1:cr:North!')).toBeUndefined()
    expect(decodeCardAction('as:abc:tr')).toBeUndefined()
    expect(decodeCardAction('anything')).toBeUndefined()
  })

  it('maps emoji to a standard reaction where one is close', () => {
    expect(toStandardReaction('👍')).toBe('👍')
    expect(toStandardReaction('❤️')).toBe('❤')
    expect(toStandardReaction('😂')).toBe('🤣')
    expect(toStandardReaction('🦀')).toBeUndefined()
  })
})

describe('rate budget', () => {
  it('plans within a window, pauses on a 429, and lets a lowered budget recover', async () => {
    const { RateBudget } = await import('../../src/delivery/rate-budget.js')
    const budget = new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 })
    const group = -100
    for (let i = 0; i < 4; i++) {
      expect(budget.delayFor(1, group, 1000)).toBe(0)
      budget.confirm(budget.reserve(1, group, 1000), 1000)
    }
    // The fifth send waits for the first to leave the minute, plus a margin for clock jitter.
    expect(budget.delayFor(1, group, 1000)).toBe(60_000 + 100)
    expect(budget.delayFor(2, group, 1000)).toBe(0)
    budget.penalize(2, group, 30, 1000)
    expect(budget.delayFor(2, group, 1000)).toBe(30_000)
    // Lowered to 3 for ten minutes, then back to 4.
    for (let i = 0; i < 3; i++) budget.confirm(budget.reserve(2, group, 40_000), 40_000)
    expect(budget.delayFor(2, group, 40_000)).toBeGreaterThan(0)
    expect(budget.delayFor(2, group, 40_000 + 10 * 60_000)).toBe(0)
    // A one-second 429 pauses the whole bot briefly, not the chat's budget.
    budget.penalize(3, group, 1, 5000)
    expect(budget.delayFor(3, -200, 5000)).toBe(1000)
  })

  it('counts a planned send from its plan until its call answers, then from the answer (Telegram counts arrival)', async () => {
    const { RateBudget, RESERVATION_HOLD_MS, IN_FLIGHT_RECHECK_MS } = await import('../../src/delivery/rate-budget.js')
    const budget = new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 2, globalPerSecond: 30 })
    const group = -100
    const first = budget.reserve(1, group, 1000)
    budget.reserve(1, group, 1000)
    // Both in flight: the window is full until one of them answers and then leaves the minute. When
    // that is known only once a call answers (milliseconds): plan again then, not a hold later.
    expect(budget.delayFor(1, group, 1000)).toBe(IN_FLIGHT_RECHECK_MS)
    // Another process's sends in flight count as arriving a whole hold from their plan.
    const stranger = new RateBudget(budget.options)
    stranger.importBot(1, budget.exportBot(1, 1000), new Map())
    expect(stranger.delayFor(1, group, 1000)).toBe(RESERVATION_HOLD_MS + 60_000 + 100)
    // The first call answered 5 s after it was planned: it arrived by then, so it counts from then.
    budget.confirm(first, 6000)
    expect(budget.delayFor(1, group, 1000)).toBe(5000 + 60_000 + 100)
    // Another process sees the same windows through the stored form.
    const other = new RateBudget(budget.options)
    other.importBot(1, budget.exportBot(1, 1000), new Map())
    expect(other.delayFor(1, group, 1000)).toBe(5000 + 60_000 + 100)
    expect(budget.delayFor(1, group, 65_000)).toBe(1100)
    expect(budget.delayFor(1, group, 66_000)).toBe(0)
  })

  it('counts every album item and text part: a job needs room for all its messages', async () => {
    const { RateBudget } = await import('../../src/delivery/rate-budget.js')
    const budget = new RateBudget({ privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 })
    const group = -100
    expect(budget.delayFor(1, group, 1000, 3)).toBe(0)
    budget.confirm(budget.reserve(1, group, 1000, 3), 1000)
    expect(budget.delayFor(1, group, 1000, 1)).toBe(0)
    // Only one of four left: a 2-item album waits for the first three to leave the minute.
    expect(budget.delayFor(1, group, 1000, 2)).toBe(60_000 + 100)
    // An album of 10 fits no window of 4: it waits for an empty one.
    budget.confirm(budget.reserve(1, group, 2000, 1), 2000)
    expect(budget.delayFor(1, group, 2000, 10)).toBe(60_000 + 100)
  })
})
