import type { Customer } from '../customers.js'
import type { ProjectRuntime } from '../project-runtime.js'

/** The languages a translation goes between (ISO 639-1). */
export interface LanguagePair {
  from: string
  to: string
}

/** A language tag's base language, lowercased (`pt-BR` → `pt`), as detection and translation compare them. */
export function baseLanguage(tag: string): string {
  return tag.toLowerCase().split('-')[0]!
}

/** The language the bot speaks to a client in: the one their messages are written in where it was detected, else Telegram's `language_code`. */
export function clientLanguageOf(customer: Pick<Customer, 'detectedLanguage' | 'languageCode'>): string | null {
  return customer.detectedLanguage ?? customer.languageCode
}

/** The project translates (its config and an assistant to do it) and this customer did not turn it off (`/tr off`). */
export function translatesFor(project: Pick<ProjectRuntime, 'config'>, customer: Pick<Customer, 'translationOff'>): boolean {
  return project.config.translation !== undefined && project.config.assistant !== undefined && !customer.translationOff
}

/** Whether a client language is one the project translates (not the staff's own, and in `clientLanguages` when that is a list). */
export function translatedLanguage(project: Pick<ProjectRuntime, 'config'>, language: string | null | undefined): boolean {
  const settings = project.config.translation
  if (!settings || !language || language === settings.staffLanguage) return false
  return settings.clientLanguages === 'auto' || settings.clientLanguages.includes(language)
}

/** Staff → client: the pair a staff reply to this customer is translated with, or undefined when it goes as written. */
export function staffToClient(project: Pick<ProjectRuntime, 'config'>, customer: Pick<Customer, 'detectedLanguage' | 'languageCode' | 'translationOff'>): LanguagePair | undefined {
  if (!translatesFor(project, customer)) return undefined
  const tag = clientLanguageOf(customer)
  const language = tag ? baseLanguage(tag) : undefined
  if (!language || !translatedLanguage(project, language)) return undefined
  return { from: project.config.translation!.staffLanguage, to: language }
}

/** Whether a text has words to translate: two letters in a row at least (not "👍", "123", "?" or "#12345"). */
export function hasWords(text: string): boolean {
  return /\p{L}{2}/u.test(text)
}

/** Whether a translation only repeats the original (case and spacing aside): nothing to show. */
export function sameText(original: string, translation: string): boolean {
  const plain = (text: string) => text.toLowerCase().replace(/\s+/gu, ' ').trim()
  return plain(original) === plain(translation)
}
