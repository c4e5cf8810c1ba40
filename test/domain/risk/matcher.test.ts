import { describe, expect, it } from 'vitest'
import { compilePhrases, findRiskPhrase } from '../../../src/domain/risk/matcher.js'
import { normaliseForRisk, riskPatternProblem as patternProblem } from '../../../src/shared/risk-text.js'

const book = compilePhrases([
  { name: 'password', mode: 'confirm', patterns: ['password', 'secret key'] },
  { name: 'beta-promo', mode: 'block', patterns: ['BETA2026'] },
  { name: 'wallet', mode: 'block', patterns: ['/0x[0-9a-f]{8}/'] },
])
const hit = (text: string) => findRiskPhrase(book, text)?.name

describe('risk phrase matching', () => {
  it('matches case-insensitively on word boundaries, in any script around it', () => {
    expect(hit('Your PASSWORD is here')).toBe('password')
    expect(hit('«password»')).toBe('password')
    expect(hit('the secret   key, again')).toBe('password')
    expect(hit('промокод beta2026!')).toBe('beta-promo')
  })

  it('folds look-alike characters: Cyrillic, Greek, full-width, spaced-out letters', () => {
    expect(hit('pаsswоrd')).toBe('password') // Cyrillic а and о
    expect(hit('pαsswοrd')).toBe('password') // Greek α and ο
    expect(hit('ｐａｓｓｗｏｒｄ')).toBe('password') // full-width
    expect(hit('the p a s s w o r d is')).toBe('password')
    expect(normaliseForRisk('p a s s w o r d')).toBe('password')
  })

  it('lets near-misses pass', () => {
    expect(hit('passwords')).toBeUndefined()
    expect(hit('bypassword')).toBeUndefined()
    expect(hit('pass word')).toBeUndefined() // only single letters are joined
    expect(hit('p-a-s-s-w-o-r-d')).toBeUndefined()
    expect(hit('p a s sword')).toBeUndefined()
    expect(hit('secret keys')).toBeUndefined()
    expect(hit('beta2026x')).toBeUndefined()
    expect(hit('password_reset')).toBeUndefined()
    expect(hit('wallet 0x1234567')).toBeUndefined()
  })

  it('runs /regex/ patterns with RE2 (a block wins over a confirm)', () => {
    expect(hit('send to 0xDEADBEEF please')).toBe('wallet')
    expect(hit('password 0xdeadbeef')).toBe('wallet')
  })

  it('refuses patterns it cannot use, and a catastrophic pattern stays linear', () => {
    expect(patternProblem('/(a+/')).toMatch(/not a valid regular expression/)
    expect(patternProblem('   ')).toBeDefined()
    expect(patternProblem('/(a+)+$/')).toBeUndefined()
    const evil = compilePhrases([{ name: 'evil', mode: 'block', patterns: ['/(a+)+$/'] }])
    const started = performance.now()
    expect(findRiskPhrase(evil, `${'a'.repeat(5000)}!`)).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
