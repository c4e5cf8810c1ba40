import { en } from './en.js'
import { es } from './es.js'

/**
 * The built-in messages by locale, as Fluent source (https://projectfluent.org/fluent/guide/).
 * Kept as TypeScript modules so `tsc` carries them into dist/ like any other file. English is
 * complete; another locale may hold only some keys (the rest fall back to the project's locale).
 */
export const BUILT_IN: { en: string } & Record<string, string> = { en, es }
