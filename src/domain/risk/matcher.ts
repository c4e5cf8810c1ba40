import { compileRiskRegex, isRegexPattern, normaliseForRisk, riskPatternProblem } from '../../shared/risk-text.js'

export type RiskMode = 'confirm' | 'block'

/** A named risk phrase: any of its patterns matching a staff message to a client triggers its mode. */
export interface RiskPhrase {
  name: string
  mode: RiskMode
  patterns: readonly string[]
}

/** A phrase ready to match. */
export interface CompiledPhrase extends RiskPhrase {
  matches(text: string, normalised: string): boolean
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One pattern as a test on a text (and its normalised form). Throws on a bad regex (check `riskPatternProblem` first). */
function compilePattern(pattern: string): (text: string, normalised: string) => boolean {
  if (isRegexPattern(pattern)) {
    const regex = compileRiskRegex(pattern)
    return (text, normalised) => regex.matcher(text).find() || regex.matcher(normalised).find()
  }
  // A phrase: its words in order, on word boundaries (letters and digits of any script), any spacing between.
  const words = normaliseForRisk(pattern).trim().split(/\s+/).map(escapeRegExp)
  const phrase = new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'u')
  return (_text, normalised) => phrase.test(normalised)
}

/** Compiles phrases; a pattern that does not compile is left out (config and /risk add refuse them first). */
export function compilePhrases(phrases: readonly RiskPhrase[]): CompiledPhrase[] {
  return phrases.map((phrase) => {
    const tests = phrase.patterns.filter((p) => !riskPatternProblem(p)).map(compilePattern)
    return { ...phrase, matches: (text, normalised) => tests.some((test) => test(text, normalised)) }
  })
}

/** The phrase a text trips, if any: a `block` phrase wins over a `confirm` one. */
export function findRiskPhrase(phrases: readonly CompiledPhrase[], text: string): CompiledPhrase | undefined {
  if (phrases.length === 0 || !text) return undefined
  const normalised = normaliseForRisk(text)
  const hits = phrases.filter((phrase) => phrase.matches(text, normalised))
  return hits.find((phrase) => phrase.mode === 'block') ?? hits[0]
}
