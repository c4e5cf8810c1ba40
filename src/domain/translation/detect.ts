import { baseLanguage } from './language.js'
/** What detection needs besides the text: Telegram's `language_code` (a prior) and the languages the project expects. */
export interface DetectionHints {
  /** The client's Telegram `language_code` ("pt-br"): wins when the text fits it nearly as well as the best guess. */
  prior?: string | null
  /** Only these languages are considered (the project's `clientLanguages` plus its staff language); absent: any. */
  only?: readonly string[]
}

/** A detected language: an ISO 639-1 code, and whether the text was long and clear enough to trust it. */
export interface DetectedLanguage {
  language: string
  reliable: boolean
}

/** eld's detector, as much of it as is used here. */
interface Detector {
  detect(text: string): { language: string; getScores(): Record<string, number>; isReliable(): boolean }
}
let detector: Detector | undefined

/**
 * Loads the detector (eld's small n-gram database, shipped in the package: ~0.3 s and ~50 MB
 * once per process, so only projects that translate pay for it). Never touches the network.
 */
export async function loadDetector(): Promise<void> {
  detector ??= (await import('eld/small')).eld
}

/** How close (relative to the best score) the prior's score must be to win. */
const PRIOR_MARGIN = 0.9

/** Fewer letters than this (once links, addresses, mentions and digits are gone) say too little to trust any guess ("iPhone Pro Max"). */
const MIN_RELIABLE_LETTERS = 13

/** What says nothing of a language: links, e-mail addresses, @mentions and digits. */
const NOT_LANGUAGE = [/\b(?:https?:\/\/|www\.)\S+/giu, /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu, /@\w+/gu, /\p{N}+/gu]

/** The text with what says nothing of a language removed. */
function languageBearing(text: string): string {
  return NOT_LANGUAGE.reduce((rest, pattern) => rest.replace(pattern, ' '), text)
}

/**
 * The language of a short chat message, detected locally with eld (suited to 10–40 character
 * texts, where franc gives up). The Telegram `language_code` is a prior: it wins when the text
 * fits it nearly as well as the best guess, or when the text says nothing (digits, emoji).
 * Links, addresses, @mentions and digits are left out, and a guess on fewer than a dozen or so
 * letters is never reliable (a product name or a link is no language to remember).
 * Undefined: nothing to go on. Call `loadDetector()` first.
 */
export function detectLanguage(text: string, hints: DetectionHints = {}): DetectedLanguage | undefined {
  if (!detector) throw new Error('detectLanguage: loadDetector() was not awaited')
  const prior = hints.prior ? baseLanguage(hints.prior) : undefined
  const allowed = hints.only ? new Set(hints.only) : undefined
  const bearing = languageBearing(text)
  const result = detector.detect(bearing)
  const scores = Object.entries(result.getScores()).filter(([language]) => !allowed || allowed.has(language))
  scores.sort((a, b) => b[1] - a[1])
  const best = scores[0]
  const priorUsable = prior && (!allowed || allowed.has(prior))
  if (!best) return priorUsable ? { language: prior, reliable: false } : undefined
  const letters = bearing.match(/\p{L}/gu)?.length ?? 0
  const reliable = letters >= MIN_RELIABLE_LETTERS && result.isReliable() && best[0] === result.language
  if (priorUsable && best[0] !== prior) {
    const priorScore = scores.find(([language]) => language === prior)?.[1] ?? 0
    if (!reliable || priorScore >= best[1] * PRIOR_MARGIN) return { language: prior, reliable }
  }
  return { language: best[0], reliable }
}
