import { count, countDistinct, eq, gte, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { inProject, type ProjectScope } from '../../db/project-scope.js'
import { customerAttributions, customers, linkClicks } from '../../db/schema/index.js'
import type { Texts } from '../../texts/index.js'
import { projectLinks } from './links.js'

/** What a link brought in a period (or on one day). */
export interface LinkCounts {
  clicks: number
  /** Distinct visitors (address and user agent). */
  visitors: number
  /** Clicks whose token started the client bot. */
  starts: number
  /** Customers whose first click was this link's and who are onboarded (assigned a team). */
  onboarded: number
}

export interface LinkStats extends LinkCounts {
  code: string
  name: string
  enabled: boolean
  /** Onboarded customers per unique visitor, as a percentage; null without visitors. */
  conversion: number | null
  /** Days (UTC, "YYYY-MM-DD") with clicks, oldest first. */
  days: (LinkCounts & { day: string })[]
}

/**
 * Per link of the project, what its clicks of the last `days` days brought: clicks, unique
 * visitors, starts and onboarded customers (each counted on the day of the click), overall and by day.
 */
export async function linkStats(db: DbOrTx, scope: ProjectScope, options: { days: number; now: Date }): Promise<LinkStats[]> {
  const since = new Date(options.now.getTime() - options.days * 86_400_000)
  const inWindow = inProject(linkClicks, scope.projectId, gte(linkClicks.clickedAt, since))
  const day = sql<string>`DATE_FORMAT(${linkClicks.clickedAt}, '%Y-%m-%d')`
  const started = sql<number>`CAST(SUM(${linkClicks.startedAt} IS NOT NULL) AS UNSIGNED)`
  const counted = { clicks: count(), visitors: countDistinct(linkClicks.visitor), starts: started }
  const totals = await db
    .select({ linkId: linkClicks.linkId, ...counted })
    .from(linkClicks)
    .where(inWindow)
    .groupBy(linkClicks.linkId)
  const daily = await db
    .select({ linkId: linkClicks.linkId, day, ...counted })
    .from(linkClicks)
    .where(inWindow)
    .groupBy(linkClicks.linkId, day)
    .orderBy(day)
  const onboarded = await db
    .select({ linkId: linkClicks.linkId, day, onboarded: count() })
    .from(customerAttributions)
    .innerJoin(linkClicks, eq(linkClicks.id, customerAttributions.firstClickId))
    .innerJoin(customers, eq(customers.id, customerAttributions.customerId))
    .where(inProject(customerAttributions, scope.projectId, inWindow, inProject(customers, scope.projectId), eq(customers.state, 'active')))
    .groupBy(linkClicks.linkId, day)
  const onboardedOn = (linkId: number, on?: string) =>
    onboarded.filter((row) => row.linkId === linkId && (on === undefined || row.day === on)).reduce((sum, row) => sum + Number(row.onboarded), 0)
  return (await projectLinks(db, scope)).map((link) => {
    const total = totals.find((row) => row.linkId === link.id)
    const visitors = Number(total?.visitors ?? 0)
    const linkOnboarded = onboardedOn(link.id)
    return {
      code: link.code,
      name: link.name,
      enabled: link.enabled,
      clicks: Number(total?.clicks ?? 0),
      visitors,
      starts: Number(total?.starts ?? 0),
      onboarded: linkOnboarded,
      conversion: visitors === 0 ? null : Math.round((linkOnboarded / visitors) * 1000) / 10,
      days: daily
        .filter((row) => row.linkId === link.id)
        .map((row) => ({ day: row.day, clicks: Number(row.clicks), visitors: Number(row.visitors), starts: Number(row.starts), onboarded: onboardedOn(link.id, row.day) })),
    }
  })
}

/** The stats as `/links` and `npm run links -- stats` print them (at most one Telegram message). */
export function renderLinkStats(t: Texts, stats: LinkStats[], days: number): string {
  if (stats.length === 0) return t.staff('linkNone')
  const lines = [t.staff('linkStatsTitle', { days })]
  for (const link of stats) {
    lines.push(
      t.staff('linkStatsLine', {
        name: link.name,
        code: link.code,
        enabled: link.enabled ? 'yes' : 'no',
        clicks: link.clicks,
        visitors: link.visitors,
        starts: link.starts,
        onboarded: link.onboarded,
        conversion: link.conversion === null ? '—' : `${link.conversion}%`,
      }),
    )
    for (const d of link.days) lines.push(t.staff('linkStatsDay', { day: d.day, clicks: d.clicks, visitors: d.visitors, starts: d.starts, onboarded: d.onboarded }))
  }
  const text = lines.join('\n')
  return text.length > 4000 ? `${text.slice(0, 3999)}…` : text
}
