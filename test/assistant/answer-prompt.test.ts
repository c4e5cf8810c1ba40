import { describe, expect, it } from 'vitest'
import { answerPrompt, citedSources, withoutCitations } from '../../src/assistant/answer-prompt.js'
import { draftStreamer } from '../../src/assistant/draft-stream.js'

describe('the automatic answer prompt', () => {
  it('holds the passages, the conversation and only the fields it is given; the question last', () => {
    const messages = answerPrompt({
      projectName: 'Acme',
      passages: '<passage id="1" source="a.md">Refunds take five days.</passage>',
      fields: { firstName: 'Zoe' },
      conversation: [
        { origin: 'client', text: 'hello' },
        { origin: 'staff', text: 'hi' },
      ],
      question: 'how long do refunds take?',
    })
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
    expect(messages[0]!.content).toContain('firstName: Zoe')
    expect(messages[0]!.content).toContain('<passage id="1"')
    expect(messages.at(-1)!.content).toBe('how long do refunds take?')
    const none = answerPrompt({ projectName: 'Acme', passages: '', fields: {}, conversation: [{ origin: 'client', text: 'q?' }], question: 'q?' })
    expect(none[0]!.content).toContain('You know nothing of the client')
    expect(none).toHaveLength(2)
  })

  it('cites the passages named in the answer, else the best one when confident; the client reads no ids', () => {
    const passages = [
      { id: 4, citation: 'a.md#A' },
      { id: 9, citation: 'b.md#B > C' },
    ]
    expect(citedSources('Yes. [9]', passages, true)).toEqual(['b.md#B > C'])
    expect(citedSources('Yes.', passages, true)).toEqual(['a.md#A'])
    expect(citedSources("I don't know.", passages, false)).toEqual([])
    expect(withoutCitations('Refunds take five days. [1] Ask us. [2, 3]')).toBe('Refunds take five days. Ask us.')
  })

  it('streams drafts at most once a second, in order, and stops at the first failed call', async () => {
    const sent: string[] = []
    const streamer = draftStreamer((_bot, _chat, _draft, text) => Promise.resolve(void sent.push(text)), 1, 2, 3)
    streamer.onText('')
    streamer.onText('Refunds')
    streamer.onText('Refunds take')
    expect(await streamer.done()).toBe(1)
    expect(sent).toEqual(['Refunds'])
    let calls = 0
    const failing = draftStreamer(() => (calls++, Promise.reject(new Error('429'))), 1, 2, 3)
    failing.onText('a')
    expect(await failing.done()).toBe(0)
    expect(calls).toBe(1)
  })

  it('stops the drafts once the text trips a risk phrase (the answer is kept back: no preview of it either)', async () => {
    const sent: string[] = []
    const streamer = draftStreamer(
      (_bot, _chat, _draft, text) => Promise.resolve(void sent.push(text)),
      1,
      2,
      3,
      (soFar) => soFar.includes('guaranteed refund'),
    )
    streamer.onText('A guaranteed refund')
    expect(await streamer.done()).toBe(0)
    expect(sent).toEqual([])
  })
})
