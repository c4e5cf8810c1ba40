import { eq, sql } from 'drizzle-orm'
import { messages } from '../../db/schema/index.js'
import { linksOfMessage, resolveStoredMessage } from '../../db/repositories/relay.js'
import { hasWaitingJob } from '../../delivery/queue.js'
import { encodeDestination } from '../../delivery/destination.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { viewerOf, type ProjectRuntime } from '../project-runtime.js'
import { destinationOfAddress, enqueueTo, postedCopy } from '../enqueue-to.js'

/**
 * An original was edited (by the client or a staff member): store the new version and queue
 * an edit of every copy. A copy not yet delivered simply goes out in its new form. An edit job
 * renders the latest version when it runs, so a copy needs at most one waiting edit: a live
 * location's stream of positions moves each copy to the newest one, not through every step.
 * `editCopies: false` (a client over the flood limit): the new version is stored only.
 */
export async function syncEdit(
  deps: DomainDeps,
  project: ProjectRuntime,
  botId: number,
  edited: InboundMessage,
  options: { editCopies?: boolean } = {},
): Promise<'synced' | 'stored' | 'unknown'> {
  const outcome = await deps.db.transaction(async (tx) => {
    const found = await resolveStoredMessage(tx, viewerOf(project, botId), edited.chat.id, edited.message_id)
    if (!found || found.viaLink) return 'unknown' as const
    const original = found.message
    await tx
      .update(messages)
      .set({ raw: JSON.stringify(edited.raw), text: edited.text ?? edited.caption ?? null, editCount: sql`${messages.editCount} + 1` })
      .where(eq(messages.id, original.id))
    // A flooding client's edit is stored only; the copies show it with the next edit they get.
    if (options.editCopies === false) return 'stored' as const
    for (const link of await linksOfMessage(tx, original.id)) {
      const copy = postedCopy(link)
      const job = { type: 'edit_copy', linkId: link.id } as const
      if (await hasWaitingJob(tx, encodeDestination(destinationOfAddress(project, copy)), job)) continue
      await enqueueTo(tx, project, copy, job)
    }
    return 'synced' as const
  })
  if (outcome === 'synced') deps.notify()
  return outcome
}
