import { RE2JS } from 're2js'

/**
 * What a risk phrase is matched against: the text with look-alike characters folded, so "pаsswоrd"
 * with Cyrillic а/о, "ｐａｓｓｗｏｒｄ" (full-width) and "p a s s w o r d" all read "password".
 */

// Cyrillic and Greek letters drawn like Latin ones (lower case; the text is lower-cased first).
const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  ո: 'n',
  ս: 'u',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ς: 'c',
}
const HOMOGLYPH_RUN = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'gu')

// Three or more single letters (or digits) separated by one space each: "p a s s w o r d".
const SPACED_LETTERS = /(?<![\p{L}\p{N}])[\p{L}\p{N}](?: [\p{L}\p{N}]){2,}(?![\p{L}\p{N}])/gu

/** NFKC (full-width and compatibility forms), lower case, homoglyphs folded, spaced-out letters joined; nothing else changes. */
export function normaliseForRisk(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(HOMOGLYPH_RUN, (c) => HOMOGLYPHS[c] ?? c)
    .replace(SPACED_LETTERS, (run) => run.replaceAll(' ', ''))
}

/** `/…/` is a regular expression (RE2: linear time, so no pattern can hang the relay); anything else a phrase. */
export function isRegexPattern(pattern: string): boolean {
  return pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')
}

/** A `/…/` pattern compiled by RE2, case-insensitive; throws when it is not a valid expression. */
export function compileRiskRegex(pattern: string): RE2JS {
  return RE2JS.compile(pattern.slice(1, -1), RE2JS.CASE_INSENSITIVE)
}

/** Why a pattern cannot be used, or undefined when it can (the config and `/risk add` ask). */
export function riskPatternProblem(pattern: string): string | undefined {
  if (!pattern.trim()) return 'a pattern cannot be empty'
  if (!isRegexPattern(pattern)) return normaliseForRisk(pattern).trim() ? undefined : 'a pattern needs letters or digits'
  try {
    compileRiskRegex(pattern)
    return undefined
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message})`
  }
}
