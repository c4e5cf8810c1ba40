/** The words of `/stats` and the stats CLI (kept here, with the feature, until the texts module takes them). */
export const STATS_TEXTS = {
  usage: 'Use /stats or /stats <days> (1 to 365).',
  title: (days: string, from: string, to: string) => `📊 Stats, ${days} (${from} – ${to} UTC)`,
  lastDays: (days: number) => `last ${days} day(s)`,
  newCustomers: 'New customers',
  messages: (client: number, staff: number) => `Messages: ${client} from clients, ${staff} from staff`,
  firstResponse: 'First response',
  response: 'Response',
  resolution: 'Resolution',
  csat: (average: string, ratings: number, percent: number) => `CSAT: ${average}/5 from ${ratings} rating(s), ${percent}% rated 4 or 5`,
  noRatings: 'CSAT: no ratings',
  unanswered: (n: number) => `Unanswered customers: ${n}`,
  transfers: (transfers: number, riskHits: number) => `Transfers: ${transfers} · risk-phrase hits: ${riskHits}`,
  byAgent: 'By agent:',
  byDay: 'By day:',
  none: '—',
  truncated: '… (the rest: npm run stats)',
}
