import { asc, eq, inArray, isNotNull } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import type { RelayLinkRow } from '../../db/repositories/relay.js'
import { relayLinks } from '../../db/schema/index.js'
import { encodeDestination } from '../../delivery/destination.js'
import { hasWaitingJob } from '../../delivery/queue.js'
import type { DomainDeps } from '../deps.js'
import { destinationOfAddress, enqueueTo, postedCopy } from '../enqueue-to.js'
import type { ProjectRuntime } from '../project-runtime.js'
import type { CopyTarget, CopyVariant } from './policies/policy.js'

/** What a relay policy sees of an existing copy (an edit's, a late variant's). */
export function copyTargetOfLink(link: RelayLinkRow): CopyTarget {
  return link.topicId ? { to: 'topic', chatId: link.chatId, topicId: link.topicId, kind: link.kind } : { to: 'client', chatId: link.chatId, kind: link.kind }
}

/**
 * Re-renders copies: each link gets its variant (written only where it changed; none: the
 * original's text again) and an edit job, unless one waits already (it renders what is stored
 * when it runs, so one is enough). A copy not delivered yet goes out in its new form.
 */
export async function editCopies(tx: DbOrTx, project: ProjectRuntime, links: RelayLinkRow[], variants?: ReadonlyArray<CopyVariant | undefined>): Promise<void> {
  for (const [i, link] of links.entries()) {
    if (variants) {
      const variant = variants[i] ? JSON.stringify(variants[i]) : null
      if (variant !== (link.variant ?? null)) await tx.update(relayLinks).set({ variant }).where(eq(relayLinks.id, link.id))
    }
    const copy = postedCopy(link)
    const job = { type: 'edit_copy', linkId: link.id } as const
    if (await hasWaitingJob(tx, encodeDestination(destinationOfAddress(project, copy)), job)) continue
    await enqueueTo(tx, project, copy, job)
  }
}

/**
 * Gives one copy its own text after it was queued or sent (a translation that arrives later):
 * stored on its relay link and, once the copy is out, edited into it ('stored': not out yet). Null puts the original's
 * text back. 'unknown': no such copy in this project.
 */
export async function setCopyVariant(deps: DomainDeps, project: ProjectRuntime, linkId: number, variant: CopyVariant | null): Promise<'edited' | 'stored' | 'unknown'> {
  const outcome = await deps.db.transaction(async (tx) => {
    const [link] = await tx
      .select()
      .from(relayLinks)
      .where(inProject(relayLinks, project.id, eq(relayLinks.id, linkId)))
      .for('update')
    if (!link) return 'unknown' as const
    // Not sent yet: its relay job renders the variant, unless it is being sent right now with the
    // old text; the edit job, queued behind it, then brings the copy up to date (an unchanged copy
    // is left as it is).
    await editCopies(tx, project, [link], [variant ?? undefined])
    return link.copyMessageId ? ('edited' as const) : ('stored' as const)
  })
  if (outcome === 'edited') deps.notify()
  return outcome
}

/**
 * The variant a replay copy of each message carries: that of the message's newest topic copy
 * with one (a translation for staff stays one when the history moves to a new topic).
 */
export async function topicVariants(db: DbOrTx, projectId: number, messageIds: number[]): Promise<Map<number, string>> {
  if (messageIds.length === 0) return new Map()
  const rows = await db
    .select({ messageId: relayLinks.messageId, variant: relayLinks.variant })
    .from(relayLinks)
    .where(inProject(relayLinks, projectId, inArray(relayLinks.messageId, messageIds), isNotNull(relayLinks.topicId), isNotNull(relayLinks.variant)))
    .orderBy(asc(relayLinks.id))
  return new Map(rows.map((row) => [row.messageId, row.variant!]))
}
