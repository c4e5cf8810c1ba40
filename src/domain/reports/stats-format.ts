import { toCsv } from './csv.js'
import type { StatsLine, StatsReport } from './stats.js'
import { STATS_TEXTS as T } from './texts.js'

/** A duration in words: "45s", "4m 05s", "2h 00m"; "—" when nothing was measured. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return T.none
  if (seconds < 60) return `${seconds}s`
  const pad = (n: number) => String(n).padStart(2, '0')
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`
}

const spread = (label: string, count: number, p50: number | null, p90: number | null) => `${label}: p50 ${formatDuration(p50)} · p90 ${formatDuration(p90)} (${count})`

const stamp = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ')

/** `/stats` and the CLI's text: the period's figures, then per agent and per day. */
export function statsText(report: StatsReport, period: string): string {
  const { total } = report
  const sources = report.bySource.map((s) => `${s.source} ${s.newCustomers}`).join(' · ')
  const lines = [
    T.title(period, stamp(report.from), stamp(report.to)),
    `${T.newCustomers}: ${total.newCustomers}${sources ? ` (${sources})` : ''}`,
    T.messages(total.clientMessages!, total.staffMessages),
    spread(T.firstResponse, total.firstResponses, total.firstResponseP50, total.firstResponseP90),
    spread(T.response, total.responses, total.responseP50, total.responseP90),
    spread(T.resolution, total.resolutions!, total.resolutionP50, total.resolutionP90),
    total.ratings ? T.csat(total.csatAverage!, total.ratings, total.csatPercent!) : T.noRatings,
    T.unanswered(total.unanswered!),
    T.transfers(total.transfers!, total.riskHits!),
  ]
  if (report.byAgent.length) {
    lines.push(T.byAgent)
    for (const { name, line } of report.byAgent)
      lines.push(
        `${name}: ${line.staffMessages} msg · first response p50 ${formatDuration(line.firstResponseP50)} · response p50 ${formatDuration(line.responseP50)}, p90 ${formatDuration(line.responseP90)} (${line.responses})`,
      )
  }
  lines.push(T.byDay)
  for (const { day, line } of report.byDay)
    lines.push(
      `${day}: ${line.newCustomers} new · ${line.clientMessages}/${line.staffMessages} msg · response p50 ${formatDuration(line.responseP50)} · ${line.resolutions} resolved · ${line.ratings} rated`,
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
