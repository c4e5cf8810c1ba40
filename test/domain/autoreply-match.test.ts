import { describe, expect, it } from 'vitest'
import { compilePattern } from '../../src/config/flows.js'
import { keywordsMatcher } from '../../src/domain/autoreply/automations.js'

describe('auto-reply matching', () => {
  it('matches keywords as whole words, case-insensitively, Unicode-aware, spaces as any run of spaces', () => {
    const hours = keywordsMatcher(['opening hours', 'öffnungszeiten', 'c++'])
    expect(hours('What are your OPENING   hours?')).toBe(true)
    expect(hours('Wann sind eure Öffnungszeiten?')).toBe(true)
    expect(hours('Do you support C++?')).toBe(true)
    // Near-misses: inside a longer word, or the words apart.
    expect(hours('reopening hoursly')).toBe(false)
    expect(hours('Öffnungszeitenänderung')).toBe(false)
    expect(hours('opening at what hours')).toBe(false)
  })

  it('runs a /regex/ with the linear-time engine: case-insensitive, and a pattern that would backtrack forever in JS returns at once', () => {
    expect(compilePattern('/refund\\s+policy/').matcher('Your REFUND  Policy?').find()).toBe(true)
    expect(compilePattern('order #?\\d{4,}').matcher('order 12').find()).toBe(false)
    const started = performance.now()
    expect(
      compilePattern('/(a+)+$/')
        .matcher(`${'a'.repeat(50_000)}!`)
        .find(),
    ).toBe(false)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(() => compilePattern('/(?=lookahead)/')).toThrow()
  })
})
