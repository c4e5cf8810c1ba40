import { toCsv } from './csv.js'
import type { StatsLine, StatsReport } from './stats.js'
import { BUILT_IN_TEXTS, type Texts } from '../../texts/index.js'
import { suggestionsLine } from './suggestions.js'

/** A duration in words: "45s", "4m 05s", "2h 00m"; "—" when nothing was measured. */
export function formatDuration(seconds: number | null, t: Texts = BUILT_IN_TEXTS): string {
  if (seconds === null) return t.staff('statsNone')
  if (seconds < 60) return t.staff('durationSeconds', { seconds })
  const pad = (n: number) => String(n).padStart(2, '0')
  if (seconds < 3600) return t.staff('durationMinutes', { minutes: Math.floor(seconds / 60), seconds: pad(seconds % 60) })
  return t.staff('durationHours', { hours: Math.floor(seconds / 3600), minutes: pad(Math.floor((seconds % 3600) / 60)) })
}

const stamp = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ')

/** `/stats` and the CLI's text: the period's figures, then per agent and per day (`period`: "last 7 days", or the CLI's bounds). */
export function statsText(report: StatsReport, period: string, t: Texts = BUILT_IN_TEXTS): string {
  const { total } = report
  const duration = (seconds: number | null) => formatDuration(seconds, t)
  const spread = (kind: string, count: number, p50: number | null, p90: number | null) =>
    t.staff('statsSpread', { label: t.staff('statsMeasure', { kind }), p50: duration(p50), p90: duration(p90), count })
  const sources = report.bySource.map((s) => t.staff('auditCount', { name: s.source, count: s.newCustomers })).join(' · ')
  const lines = [
    t.staff('statsTitle', { period, from: stamp(report.from), to: stamp(report.to) }),
    t.staff('statsNewCustomers', { count: String(total.newCustomers), hasSources: sources ? 'yes' : 'no', sources }),
    t.staff('statsMessages', { client: total.clientMessages!, staff: total.staffMessages }),
    spread('firstResponse', total.firstResponses, total.firstResponseP50, total.firstResponseP90),
    spread('response', total.responses, total.responseP50, total.responseP90),
    spread('resolution', total.resolutions!, total.resolutionP50, total.resolutionP90),
    total.ratings ? t.staff('statsCsat', { average: total.csatAverage!, ratings: total.ratings, percent: total.csatPercent! }) : t.staff('statsNoRatings'),
    t.staff('statsUnanswered', { count: total.unanswered! }),
    t.staff('statsTransfers', { transfers: total.transfers!, riskHits: total.riskHits! }),
  ]
  const suggested = suggestionsLine(report.suggestions, t)
  if (suggested) lines.push(suggested)
  // Answer mode's handover rate, once the assistant has answered in the period.
  const automatic = report.automaticAnswers
  if (automatic?.answers)
    lines.push(t.staff('statsHandover', { answers: automatic.answers, handedOver: automatic.handedOver, rate: `${Math.round((100 * automatic.handedOver) / automatic.answers)}%` }))
  if (report.byAgent.length) {
    lines.push(t.staff('statsByAgent'))
    for (const { name, line } of report.byAgent)
      lines.push(
        t.staff('statsAgentLine', {
          name,
          messages: line.staffMessages,
          firstP50: duration(line.firstResponseP50),
          p50: duration(line.responseP50),
          p90: duration(line.responseP90),
          responses: line.responses,
        }),
      )
  }
  lines.push(t.staff('statsByDay'))
  for (const { day, line } of report.byDay)
    lines.push(
      t.staff('statsDayLine', {
        day,
        newCustomers: String(line.newCustomers),
        client: String(line.clientMessages),
        staff: line.staffMessages,
        p50: duration(line.responseP50),
        resolved: String(line.resolutions),
        rated: String(line.ratings),
      }),
    )
  return lines.join('\n')
}

const COLUMNS: [string, keyof StatsLine][] = [
  ['new_customers', 'newCustomers'],
  ['client_messages', 'clientMessages'],
  ['staff_messages', 'staffMessages'],
  ['responses', 'responses'],
  ['response_p50_s', 'responseP50'],
  ['response_p90_s', 'responseP90'],
  ['first_responses', 'firstResponses'],
  ['first_response_p50_s', 'firstResponseP50'],
  ['first_response_p90_s', 'firstResponseP90'],
  ['resolutions', 'resolutions'],
  ['resolution_p50_s', 'resolutionP50'],
  ['resolution_p90_s', 'resolutionP90'],
  ['ratings', 'ratings'],
  ['csat_average', 'csatAverage'],
  ['csat_percent', 'csatPercent'],
  ['unanswered', 'unanswered'],
  ['transfers', 'transfers'],
  ['risk_hits', 'riskHits'],
]

/**
 * The report as one CSV table: a `total` row, a `source` row per source (new customers), a `day`
 * row per UTC day, an `agent` row per agent (their messages and answers). Durations in seconds;
 * an empty cell: not measured for that row.
 */
export function statsCsv(report: StatsReport): string {
  const cells = (line: StatsLine) => COLUMNS.map(([, key]) => line[key])
  const blank = COLUMNS.map(() => null)
  return toCsv(
    ['scope', 'key', ...COLUMNS.map(([name]) => name)],
    [
      ['total', '', ...cells(report.total)],
      ...report.bySource.map((s) => ['source', s.source, s.newCustomers, ...blank.slice(1)]),
      ...report.byDay.map((d) => ['day', d.day, ...cells(d.line)]),
      ...report.byAgent.map((a) => ['agent', a.name, ...cells(a.line)]),
    ],
  )
}
