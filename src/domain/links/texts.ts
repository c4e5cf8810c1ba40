/**
 * Every text of the diversion links feature, in one place (staff answers, card lines, the
 * command line's), so they can move to the texts module as they are.
 */
export const linkTexts = {
  usage: 'Usage: /link new <name> (a name of up to 128 characters), or /link disable <code>.',
  noPublicUrl: 'Links need the public address of this service: set links.publicUrl in the config.',
  created: (name: string, url: string) => `🔗 Link "${name}" created: ${url}\nEvery click is counted in /links.`,
  disabled: (code: string) => `🔗 Link ${code} is disabled: it now answers "not found".`,
  unknownCode: (code: string) => `There is no link ${code} in this project.`,
  badParam: (text: string) => `"${text}" is not a parameter: write it as key=value (a key of letters, digits, _ or -).`,
  noLinks: '🔗 No links yet. CS leads make one with /link new <name>',
  statsTitle: (days: number) => `🔗 Links, last ${days} day(s) (UTC):`,
  statsLine: (s: { name: string; code: string; enabled: boolean; clicks: number; visitors: number; starts: number; onboarded: number; conversion: string }) =>
    `• ${s.name} (${s.code}${s.enabled ? '' : ', disabled'}): ${s.clicks} click(s), ${s.visitors} unique visitor(s), ${s.starts} start(s), ${s.onboarded} onboarded, conversion ${s.conversion}`,
  statsDay: (day: string, s: { clicks: number; visitors: number; starts: number; onboarded: number }) =>
    `   ${day}: ${s.clicks} click(s), ${s.visitors} visitor(s), ${s.starts} start(s), ${s.onboarded} onboarded`,
  sourceLine: (source: string) => `Source: ${source}`,
  latest: (first: string, last: string) => `${first} (latest: ${last})`,
}
