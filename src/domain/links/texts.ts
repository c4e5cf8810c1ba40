import { BUILT_IN_TEXTS as T } from '../../texts/index.js'

/**
 * The diversion links feature's texts (staff answers, card lines, the command line's), worded by
 * the texts module (`## Diversion links` in src/texts/locales/en.ts). In the built-in locale for
 * now: the callers do not all have the project at hand (`originLines`).
 */
export const linkTexts = {
  usage: T.staff('linkUsage'),
  noPublicUrl: T.staff('linkNoPublicUrl'),
  created: (name: string, url: string) => T.staff('linkCreated', { name, url }),
  disabled: (code: string) => T.staff('linkDisabled', { code }),
  unknownCode: (code: string) => T.staff('linkUnknownCode', { code }),
  badParam: (text: string) => T.staff('linkBadParam', { text }),
  noLinks: T.staff('linkNone'),
  statsTitle: (days: number) => T.staff('linkStatsTitle', { days }),
  statsLine: (s: { name: string; code: string; enabled: boolean; clicks: number; visitors: number; starts: number; onboarded: number; conversion: string }) =>
    T.staff('linkStatsLine', { ...s, enabled: s.enabled ? 'yes' : 'no' }),
  statsDay: (day: string, s: { clicks: number; visitors: number; starts: number; onboarded: number }) =>
    T.staff('linkStatsDay', { day, clicks: s.clicks, visitors: s.visitors, starts: s.starts, onboarded: s.onboarded }),
  sourceLine: (source: string) => T.staff('linkSourceLine', { source }),
  startPayloadLine: (payload: string) => T.staff('cardStartPayload', { payload }),
  latest: (first: string, last: string) => T.staff('linkLatest', { first, last }),
}
