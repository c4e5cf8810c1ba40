import { eq, gte, inArray, lt } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import { handoverCounts } from '../assistant/answers.js'
import type { DbOrTx } from '../../db/client.js'
import { assignmentLog, auditEvents, conversationRatings, customerAttributions, customers, linkClicks, links, messages, staff } from '../../db/schema/index.js'
import { conversationFigures, type Measured, type TimelineEntry } from './conversations.js'
import { nearestRank } from './percentile.js'
import { BUILT_IN_TEXTS } from '../../texts/index.js'
import { suggestionFigures, type SuggestionFigures } from './suggestions.js'

/** One line of the report (the period, a day, a source or an agent); null: not measured for this line. */
export interface StatsLine {
  newCustomers: number | null
  clientMessages: number | null
  staffMessages: number
  responses: number
  responseP50: number | null
  responseP90: number | null
  firstResponses: number
  firstResponseP50: number | null
  firstResponseP90: number | null
  resolutions: number | null
  resolutionP50: number | null
  resolutionP90: number | null
  ratings: number | null
  /** Mean rating (1–5), two decimals. */
  csatAverage: string | null
  /** Share of ratings of 4 or 5, in whole percent. */
  csatPercent: number | null
  unanswered: number | null
  transfers: number | null
  riskHits: number | null
}

export interface StatsReport {
  from: Date
  to: Date
  total: StatsLine
  /** New customers by where they came from. */
  bySource: { source: string; newCustomers: number }[]
  byAgent: { agentId: number; name: string; line: StatsLine }[]
  /** Every UTC day of the period, empty ones included. */
  byDay: { day: string; line: StatsLine }[]
  /** Suggest mode: suggestions shown and their fates (issue 19). */
  suggestions?: SuggestionFigures
  /** Answer mode's automatic answers of the period and how many the client handed over to a person (h/answer). */
  automaticAnswers?: { answers: number; handedOver: number }
}

const seconds = (values: readonly Measured[], p: number) => {
  const rank = nearestRank(
    values.map((v) => v.ms),
    p,
  )
  return rank === null ? null : Math.round(rank / 1000)
}

interface Facts {
  newCustomers: { at: Date; source: string }[]
  clientMessages: Date[]
  staffMessages: { at: Date; agentId: number }[]
  responses: Measured[]
  firstResponses: Measured[]
  resolutions: Measured[]
  ratings: { at: Date; rating: number }[]
  transfers: Date[]
  riskHits: Date[]
  unanswered: number
}

/** Counts and durations (seconds, nearest-rank p50/p90) of the facts kept by `keep`. */
function line(facts: Facts, keep: (at: Date) => boolean, o: { unanswered: number | null }): StatsLine {
  const responses = facts.responses.filter((r) => keep(r.at))
  const firstResponses = facts.firstResponses.filter((r) => keep(r.at))
  const resolutions = facts.resolutions.filter((r) => keep(r.at))
  const ratings = facts.ratings.filter((r) => keep(r.at))
  return {
    newCustomers: facts.newCustomers.filter((c) => keep(c.at)).length,
    clientMessages: facts.clientMessages.filter(keep).length,
    staffMessages: facts.staffMessages.filter((m) => keep(m.at)).length,
    responses: responses.length,
    responseP50: seconds(responses, 50),
    responseP90: seconds(responses, 90),
    firstResponses: firstResponses.length,
    firstResponseP50: seconds(firstResponses, 50),
    firstResponseP90: seconds(firstResponses, 90),
    resolutions: resolutions.length,
    resolutionP50: seconds(resolutions, 50),
    resolutionP90: seconds(resolutions, 90),
    ratings: ratings.length,
    csatAverage: ratings.length ? (ratings.reduce((sum, r) => sum + r.rating, 0) / ratings.length).toFixed(2) : null,
    csatPercent: ratings.length ? Math.round((100 * ratings.filter((r) => r.rating >= 4).length) / ratings.length) : null,
    unanswered: o.unanswered,
    transfers: facts.transfers.filter(keep).length,
    riskHits: facts.riskHits.filter(keep).length,
  }
}

/** An agent's line: their messages and the answers they gave; the rest is not theirs to measure. */
function agentLine(facts: Facts, agentId: number): StatsLine {
  const mine = { ...facts, staffMessages: facts.staffMessages.filter((m) => m.agentId === agentId) }
  mine.responses = facts.responses.filter((r) => r.agentId === agentId)
  mine.firstResponses = facts.firstResponses.filter((r) => r.agentId === agentId)
  const all = line(mine, () => true, { unanswered: null })
  return {
    ...all,
    newCustomers: null,
    clientMessages: null,
    resolutions: null,
    resolutionP50: null,
    resolutionP90: null,
    ratings: null,
    csatAverage: null,
    csatPercent: null,
    transfers: null,
    riskHits: null,
  }
}

/**
 * The project's report for [from, to), from stored rows only: customers (new, by source),
 * messages (client; staff, internal notes left out), the assignment log (resolutions,
 * transfers), ratings and the audit trail (risk-phrase hits). See `conversationFigures` for how
 * responses and resolutions are measured.
 */
export async function projectStats(db: DbOrTx, projectId: number, from: Date, to: Date): Promise<StatsReport> {
  // Where each new customer came from: the diversion link of their first click, else 'direct'.
  const created = await db
    .select({ id: customers.id, at: customers.createdAt, link: links.name })
    .from(customers)
    .leftJoin(customerAttributions, eq(customerAttributions.customerId, customers.id))
    .leftJoin(linkClicks, eq(linkClicks.id, customerAttributions.firstClickId))
    .leftJoin(links, eq(links.id, linkClicks.linkId))
    .where(inProject(customers, projectId, gte(customers.createdAt, from), lt(customers.createdAt, to)))
  const active = await db
    .selectDistinct({ customerId: messages.customerId })
    .from(messages)
    .where(inProject(messages, projectId, gte(messages.createdAt, from), lt(messages.createdAt, to)))
  const resolvedIn = await db
    .selectDistinct({ customerId: assignmentLog.customerId })
    .from(assignmentLog)
    .where(inProject(assignmentLog, projectId, eq(assignmentLog.action, 'resolved'), gte(assignmentLog.createdAt, from), lt(assignmentLog.createdAt, to)))
  const customerIds = [...new Set([...active, ...resolvedIn].map((row) => row.customerId))]
  const history = customerIds.length
    ? await db
        .select({ customerId: messages.customerId, origin: messages.origin, senderUserId: messages.senderUserId, internalNote: messages.internalNote, at: messages.createdAt })
        .from(messages)
        .where(inProject(messages, projectId, inArray(messages.customerId, customerIds), lt(messages.createdAt, to)))
    : []
  const resolved = customerIds.length
    ? await db
        .select({ customerId: assignmentLog.customerId, at: assignmentLog.createdAt })
        .from(assignmentLog)
        .where(inProject(assignmentLog, projectId, eq(assignmentLog.action, 'resolved'), inArray(assignmentLog.customerId, customerIds), lt(assignmentLog.createdAt, to)))
    : []
  const timeline: TimelineEntry[] = [
    ...history
      .filter((m) => !m.internalNote)
      .map((m): TimelineEntry =>
        m.origin === 'client' ? { at: m.at, customerId: m.customerId, type: 'client' } : { at: m.at, customerId: m.customerId, type: 'staff', agentId: m.senderUserId },
      ),
    ...resolved.map((r): TimelineEntry => ({ at: r.at, customerId: r.customerId, type: 'resolved' })),
  ]
  const conversations = conversationFigures(timeline, from, to)
  const inPeriod = (at: Date) => at >= from && at < to
  const ratings = await db
    .select({ at: conversationRatings.createdAt, rating: conversationRatings.rating })
    .from(conversationRatings)
    .where(inProject(conversationRatings, projectId, gte(conversationRatings.createdAt, from), lt(conversationRatings.createdAt, to)))
  const transfers = await db
    .select({ at: assignmentLog.createdAt })
    .from(assignmentLog)
    .where(
      inProject(
        assignmentLog,
        projectId,
        eq(assignmentLog.action, 'owner_changed'),
        eq(assignmentLog.reason, 'transfer'),
        gte(assignmentLog.createdAt, from),
        lt(assignmentLog.createdAt, to),
      ),
    )
  const riskHits = await db
    .select({ at: auditEvents.createdAt })
    .from(auditEvents)
    .where(inProject(auditEvents, projectId, eq(auditEvents.kind, 'risk_hit'), gte(auditEvents.createdAt, from), lt(auditEvents.createdAt, to)))
  const facts: Facts = {
    newCustomers: created.map((c) => ({ at: c.at, source: c.link ?? 'direct' })),
    clientMessages: history.filter((m) => m.origin === 'client' && inPeriod(m.at)).map((m) => m.at),
    staffMessages: history.filter((m) => m.origin === 'staff' && !m.internalNote && inPeriod(m.at)).map((m) => ({ at: m.at, agentId: m.senderUserId })),
    ...conversations,
    ratings,
    transfers: transfers.map((t) => t.at),
    riskHits: riskHits.map((r) => r.at),
  }
  const names = new Map((await db.select({ id: staff.telegramUserId, name: staff.displayName }).from(staff).where(inProject(staff, projectId))).map((s) => [s.id, s.name] as const))
  const agentIds = [...new Set(facts.staffMessages.map((m) => m.agentId))]
  const sources = new Map<string, number>()
  for (const customer of facts.newCustomers) sources.set(customer.source, (sources.get(customer.source) ?? 0) + 1)
  const suggestions = await suggestionFigures(db, projectId, from, to)
  return {
    from,
    to,
    suggestions,
    total: line(facts, () => true, { unanswered: facts.unanswered }),
    bySource: [...sources].map(([source, newCustomers]) => ({ source, newCustomers })).sort((a, b) => b.newCustomers - a.newCustomers || a.source.localeCompare(b.source)),
    byAgent: agentIds
      .map((agentId) => ({ agentId, name: names.get(agentId) ?? BUILT_IN_TEXTS.staff('userById', { id: agentId }), line: agentLine(facts, agentId) }))
      .sort((a, b) => b.line.staffMessages - a.line.staffMessages || a.name.localeCompare(b.name)),
    byDay: utcDays(from, to).map((day) => ({ day, line: line(facts, (at) => at.toISOString().startsWith(day), { unanswered: null }) })),
    automaticAnswers: await handoverCounts(db, projectId, from, to),
  }
}

/** The UTC days [from, to) touches, as YYYY-MM-DD. */
function utcDays(from: Date, to: Date): string[] {
  const days: string[] = []
  for (let at = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); at < to.getTime(); at += 24 * 3600_000) days.push(new Date(at).toISOString().slice(0, 10))
  return days
}
