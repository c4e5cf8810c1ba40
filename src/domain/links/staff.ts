import { scopeOf } from '../../db/project-scope.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { createLink, disableLink, linkUrl, parseLinkParams } from './links.js'
import { linkStats, renderLinkStats } from './stats.js'

export type LinkOutcome = { ok: true; text: string } | { ok: false; reason: string }

/** Days `/links` looks back by default, and at most. */
export const LINK_STATS_DAYS = 30
const MAX_STATS_DAYS = 366

/**
 * `/link new <name> [utm_key=value …]` and `/link disable <code>` (CS leads): makes a diversion
 * link of the project and answers its URL, or turns one off.
 */
export async function linkCommand(deps: DomainDeps, project: ProjectRuntime, actorUserId: number, args: string): Promise<LinkOutcome> {
  const refusal = refusalFor(project, actorUserId, 'manage_links')
  if (refusal) return { ok: false, reason: refusal }
  const [verb = '', ...words] = args.trim().split(/\s+/)
  if (verb === 'disable' && words.length === 1) return disableLink(deps.db, scopeOf(project), textsOf(project), words[0]!)
  if (verb !== 'new' || words.length === 0) return { ok: false, reason: textsOf(project).staff('linkUsage') }
  if (!deps.publicUrl) return { ok: false, reason: textsOf(project).staff('linkNoPublicUrl') }
  // Trailing key=value words are the link's parameters; the words before them its name.
  const firstParam = words.findIndex((word) => word.includes('='))
  const nameWords = firstParam === -1 ? words : words.slice(0, firstParam)
  const { params, bad } = parseLinkParams(firstParam === -1 ? [] : words.slice(firstParam))
  if (bad !== undefined) return { ok: false, reason: textsOf(project).staff('linkBadParam', { text: bad }) }
  if (nameWords.length === 0) return { ok: false, reason: textsOf(project).staff('linkUsage') }
  const link = await createLink(deps.db, scopeOf(project), { name: nameWords.join(' '), params, createdBy: actorUserId })
  deps.logger.info({ project: project.config.key, linkId: link.id }, 'diversion link created')
  return { ok: true, text: textsOf(project).staff('linkCreated', { name: link.name, url: linkUrl(deps.publicUrl, link.code) }) }
}

/** `/links [days]` (CS leads): per link, clicks, unique visitors, starts, onboarded customers and conversion, by day. */
export async function linksReport(deps: DomainDeps, project: ProjectRuntime, actorUserId: number, args: string): Promise<LinkOutcome> {
  const refusal = refusalFor(project, actorUserId, 'manage_links')
  if (refusal) return { ok: false, reason: refusal }
  const days = /^\d+$/.test(args.trim()) ? Math.min(MAX_STATS_DAYS, Math.max(1, Number(args.trim()))) : LINK_STATS_DAYS
  return { ok: true, text: renderLinkStats(textsOf(project), await linkStats(deps.db, scopeOf(project), { days, now: deps.clock.now() }), days) }
}
