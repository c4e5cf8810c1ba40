import { eq, inArray } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import { customerTags } from '../../db/schema/index.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { lockProfile, queueProfileCardEdits } from './profile-card.js'
import { customerTagList } from './profile-extras.js'

/** Longest tag kept (longer ones are cut). */
export const TAG_MAX_CHARS = 32

export type CrmOutcome = { ok: true; text: string } | { ok: false; reason: string }

/** A tag as stored: lowercase, without a leading #, cut to TAG_MAX_CHARS; undefined unless only a-z, 0-9, _ and - remain. */
export function normaliseTag(raw: string): string | undefined {
  const tag = raw.trim().replace(/^#/, '').toLowerCase().slice(0, TAG_MAX_CHARS)
  return /^[a-z0-9_-]+$/.test(tag) ? tag : undefined
}

/** The normalised tags of a command's arguments, or the polite reason they are not usable. */
function parseTags(project: ProjectRuntime, args: string): { tags: string[] } | { reason: string } {
  const t = textsOf(project)
  const words = args.split(/[\s,]+/).filter(Boolean)
  if (words.length === 0) return { reason: t.staff('tagsWhich') }
  const tags = words.map(normaliseTag)
  const bad = words.filter((_, i) => tags[i] === undefined)
  if (bad.length > 0) return { reason: t.staff('tagsBad', { bad: bad.join(', ') }) }
  return { tags: [...new Set(tags as string[])] }
}

/**
 * `/tag` and `/untag` in a customer's topic: adds or removes tags (idempotent: one already there,
 * or already gone, changes nothing) and, when something changed, edits the customer's profile cards.
 */
export async function changeTags(deps: DomainDeps, project: ProjectRuntime, customerId: number, actorUserId: number, args: string, add: boolean): Promise<CrmOutcome> {
  const refusal = refusalFor(project, actorUserId, 'tag_customer')
  if (refusal) return { ok: false, reason: refusal }
  const parsed = parseTags(project, args)
  if ('reason' in parsed) return { ok: false, reason: parsed.reason }
  const tags = await deps.db.transaction(async (tx) => {
    await lockProfile(tx, customerId)
    const [result] = add
      ? await tx
          .insert(customerTags)
          .ignore()
          .values(parsed.tags.map((tag) => projectRow(customerTags, project.id, { customerId, tag, addedBy: actorUserId })))
      : await tx.delete(customerTags).where(inProject(customerTags, project.id, eq(customerTags.customerId, customerId), inArray(customerTags.tag, parsed.tags)))
    if (result.affectedRows > 0) await queueProfileCardEdits(tx, project, customerId)
    return customerTagList(tx, { projectId: project.id }, customerId)
  })
  deps.notify()
  return { ok: true, text: describeTags(project, tags) }
}

/** `/tags`: the customer's tags. */
export async function listTags(deps: DomainDeps, project: ProjectRuntime, customerId: number): Promise<string> {
  return describeTags(project, await customerTagList(deps.db, { projectId: project.id }, customerId))
}

function describeTags(project: ProjectRuntime, tags: string[]): string {
  const t = textsOf(project)
  return tags.length > 0 ? t.staff('tagsList', { tags: tags.map((tag) => `#${tag}`).join(' ') }) : t.staff('tagsNone')
}
