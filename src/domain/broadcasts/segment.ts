import { eq, exists, isNull, ne, or, sql, type SQL } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { customerAttributions, customers, customerTags, linkClicks, links } from '../../db/schema/index.js'
import { normaliseTag } from '../crm/tags.js'
import { LINK_CODE } from '../links/codes.js'
import { teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'

/** Who a broadcast goes to: every client, or those with a tag, of a CR team, from a diversion link, or with a Telegram language. */
export type Segment = { kind: 'all' } | { kind: 'tag'; tag: string } | { kind: 'team'; team: string } | { kind: 'link'; code: string } | { kind: 'lang'; code: string }

/** How a segment is written (`/broadcast tag:vip`, `--segment tag:vip`, the broadcast row). */
export function segmentLabel(segment: Segment): string {
  return segment.kind === 'all' ? 'all' : `${segment.kind}:${'tag' in segment ? segment.tag : 'team' in segment ? segment.team : segment.code}`
}

/** Reads a typed segment (empty: all), or the polite reason it is not one. */
export function parseSegment(project: ProjectRuntime, typed: string): { ok: true; segment: Segment } | { ok: false; reason: string } {
  const text = typed.trim()
  const bad = () => ({ ok: false as const, reason: textsOf(project).staff('broadcastBadSegment', { typed: text }) })
  if (text === '' || text.toLowerCase() === 'all') return { ok: true, segment: { kind: 'all' } }
  const match = /^(tag|team|link|lang):(\S+)$/i.exec(text)
  if (!match) return bad()
  const kind = match[1]!.toLowerCase()
  const value = match[2]!
  if (kind === 'tag') {
    const tag = normaliseTag(value)
    return tag ? { ok: true, segment: { kind: 'tag', tag } } : bad()
  }
  if (kind === 'team') {
    const team = teamsOf(project).find((t) => t.key.toLowerCase() === value.toLowerCase())
    return team ? { ok: true, segment: { kind: 'team', team: team.key } } : { ok: false, reason: textsOf(project).staff('broadcastUnknownTeam', { team: value }) }
  }
  if (kind === 'link') return LINK_CODE.test(value) ? { ok: true, segment: { kind: 'link', code: value } } : bad()
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})?$/.test(value) ? { ok: true, segment: { kind: 'lang', code: value.toLowerCase() } } : bad()
}

/** The segment's condition on `customers`, beside the rules every broadcast keeps. */
function segmentCondition(db: DbOrTx, projectId: number, segment: Segment): SQL | undefined {
  switch (segment.kind) {
    case 'all':
      return undefined
    case 'tag':
      return exists(
        db
          .select({ one: sql`1` })
          .from(customerTags)
          .where(inProject(customerTags, customers.projectId, eq(customerTags.customerId, customers.id), eq(customerTags.tag, segment.tag))),
      )
    case 'team':
      return eq(customers.crTeam, segment.team)
    case 'link':
      // First or latest touch: a customer who came through the link at any point.
      return exists(
        db
          .select({ one: sql`1` })
          .from(customerAttributions)
          .innerJoin(linkClicks, or(eq(linkClicks.id, customerAttributions.firstClickId), eq(linkClicks.id, customerAttributions.lastClickId)))
          .innerJoin(links, inProject(links, projectId, eq(links.id, linkClicks.linkId), eq(links.code, segment.code)))
          .where(eq(customerAttributions.customerId, customers.id)),
      )
    case 'lang':
      return or(eq(customers.languageCode, segment.code), sql`${customers.languageCode} LIKE ${`${segment.code}-%`}`)
  }
}

/**
 * The segment's recipients, in customer id order: the project's clients who were not rejected,
 * never those who blocked the client bot, were banned or were forgotten (`customer forget`).
 */
export async function segmentRecipients(db: DbOrTx, project: ProjectRuntime, segment: Segment): Promise<Array<{ customerId: number; chatId: number }>> {
  const rows = await db
    .select({ customerId: customers.id, chatId: customers.telegramUserId })
    .from(customers)
    .where(
      inProject(
        customers,
        project.id,
        ne(customers.state, 'rejected'),
        eq(customers.blocked, false),
        eq(customers.banned, false),
        isNull(customers.forgottenAt),
        segmentCondition(db, project.id, segment),
      ),
    )
    .orderBy(customers.id)
  return rows
}
