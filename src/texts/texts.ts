import { FluentBundle, FluentNumber, FluentResource, type FluentVariable } from '@fluent/bundle'
import { negotiateLanguages } from '@fluent/langneg'
import { BUILT_IN } from './locales/index.js'

/** The values a text's placeables take: numbers are written without grouping (ids read as they are) and select plural forms. */
export type TextArgs = Record<string, string | number>

/** What a project says about its texts: its default and staff locales and its overrides per locale. */
export interface TextSettings {
  /** The project's default locale: its old-form overrides (`templates`…) are in it, and clients whose language it lacks read it. */
  locale: string
  /** The locale of staff texts (default: `locale`). */
  staffLocale?: string
  /** `{name}`-style templates by locale, then by key; they win over the built-in Fluent messages. */
  overrides: Record<string, Record<string, string>>
}

/** Renders the project's texts: built-in Fluent messages per locale, under the project's own overrides. */
export interface Texts {
  /** A staff text, in the project's staff locale. */
  staff(key: string, args?: TextArgs): string
  /**
   * A staff text with some placeables marked (names to mention, say): the text and where each
   * marked value landed (offset and length in UTF-16 code units, as Telegram's entities count).
   */
  staffMarked(key: string, args: TextArgs, marked: Record<string, string>): { text: string; marks: Array<{ name: string; offset: number; length: number }> }
  /** A client-facing text in the client's language (Telegram `language_code`) where the project provides it, else in its default locale. */
  client(languageCode: string | null | undefined, key: string, args?: TextArgs): string
}

const bundles = new Map(
  Object.entries(BUILT_IN).map(([locale, source]) => {
    const bundle = new FluentBundle(locale, { useIsolating: false })
    const errors = bundle.addResource(new FluentResource(source))
    if (errors.length > 0) throw new Error(`texts: the built-in ${locale} messages do not parse: ${errors[0]!.message}`)
    return [locale, bundle]
  }),
)
const english = bundles.get('en')!

/** Every key a text may have (the built-in English messages): config overrides are checked against it. */
export const TEXT_KEYS: ReadonlySet<string> = new Set([...BUILT_IN.en.matchAll(/^([a-zA-Z][\w-]*) =/gm)].map((match) => match[1]!))

/**
 * The built-in English text of a key as a `{name}`-style template: the default of the config's
 * old-form overrides (`templates.askEmail`…), so a config that leaves them out says the same.
 */
export function defaultTemplate(key: string): string {
  const message = english.getMessage(key)
  if (!message?.value) throw new Error(`texts: no built-in text "${key}"`)
  return BUILT_IN.en.match(new RegExp(`^${key} = (.*)$`, 'm'))![1]!.replace(/\{ \$(\w+) \}/g, '{$1}')
}

/** Fills `{name}`-style placeholders of an override; an unknown placeholder stays as written. */
export function fillTemplate(template: string, values: TextArgs | Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (values[key] === undefined ? whole : String(values[key])))
}

/** The texts of one project (see `TextSettings`). */
export function createTexts(settings: TextSettings): Texts {
  const overrideLocales = Object.keys(settings.overrides)
  const available = [...new Set([...overrideLocales, ...bundles.keys()])]
  const render = (locales: string[], key: string, args: TextArgs): string => {
    for (const locale of locales) {
      const override = settings.overrides[locale]?.[key]
      if (override !== undefined) return fillTemplate(override, args)
      const bundle = bundles.get(locale)
      // A built-in translation gives way to the project's own wording in its default locale.
      if (bundle?.hasMessage(key) && (locale === 'en' || locale === settings.locale || settings.overrides[settings.locale]?.[key] === undefined)) return format(bundle, key, args)
    }
    if (english.hasMessage(key)) return format(english, key, args)
    throw new Error(`texts: no text "${key}"`)
  }
  const negotiated = new Map<string, string[]>()
  const candidates = (wanted: string | null | undefined): string[] => {
    if (!wanted) return [settings.locale]
    let locales = negotiated.get(wanted)
    if (!locales) negotiated.set(wanted, (locales = [...negotiateLanguages([wanted], available, { defaultLocale: settings.locale }), settings.locale]))
    return locales
  }
  const staffLocales = candidates(settings.staffLocale ?? settings.locale)
  return {
    staff: (key, args = {}) => render(staffLocales, key, args),
    staffMarked: (key, args, marked) => placeMarks(render(staffLocales, key, { ...args, ...sentinels(marked) }), marked),
    client: (languageCode, key, args = {}) => render(candidates(languageCode), key, args),
  }
}

// Private-use characters stand in for marked values while the text is rendered, then give way to them.
const sentinel = (index: number) => `\uE000${index}\uE001`
const sentinels = (marked: Record<string, string>) => Object.fromEntries(Object.keys(marked).map((name, index) => [name, sentinel(index)]))

function placeMarks(rendered: string, marked: Record<string, string>): ReturnType<Texts['staffMarked']> {
  const names = Object.keys(marked)
  const marks: Array<{ name: string; offset: number; length: number }> = []
  let text = ''
  let rest = rendered
  for (let match = /\uE000(\d+)\uE001/.exec(rest); match; match = /\uE000(\d+)\uE001/.exec(rest)) {
    const name = names[Number(match[1])]!
    text += rest.slice(0, match.index)
    marks.push({ name, offset: text.length, length: marked[name]!.length })
    text += marked[name]!
    rest = rest.slice(match.index + match[0].length)
  }
  return { text: text + rest, marks }
}

function format(bundle: FluentBundle, key: string, args: TextArgs): string {
  // Numbers without the locale's grouping (an id 123456789 must not read "123,456,789"); still numbers, so plurals select.
  const values: Record<string, FluentVariable> = Object.fromEntries(
    Object.entries(args).map(([name, value]) => [name, typeof value === 'number' ? new FluentNumber(value, { useGrouping: false }) : value]),
  )
  const errors: Error[] = []
  const text = bundle.formatPattern(bundle.getMessage(key)!.value!, values, errors)
  if (errors.length > 0) throw new Error(`texts: "${key}" in ${bundle.locales[0]}: ${errors[0]!.message}`)
  return text
}

/** The built-in texts with no project's overrides: for what runs without a project (the stats CLI, unit tests). */
export const BUILT_IN_TEXTS: Texts = createTexts({ locale: 'en', overrides: {} })
