import { eq, sql } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { messages, relayHolds } from '../../db/schema/index.js'
import { linksOfMessage, resolveStoredMessage, type MessageRow } from '../../db/repositories/relay.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { findCustomer } from '../customers.js'
import { queueEditTranslation } from '../translation/client-message.js'
import { queueClientText } from '../onboarding/notify-client.js'
import { viewerOf, type ProjectRuntime } from '../project-runtime.js'
import { storeHold } from './holds.js'
import { runPolicies, type VariantOf } from './pipeline.js'
import type { RelayDraft } from './policies/policy.js'
import { copyTargetOfLink, editCopies } from './variants.js'

/** A new version of a stored message, as stored on its row. */
export interface MessageVersion {
  raw: object
  text: string | null
}

export type EditOutcome = 'synced' | 'stored' | 'held' | 'unknown'

/**
 * An original was edited (by the client or a staff member): the new version goes through the
 * relay policies like a message. Passed: stored, and every copy re-rendered (with its variant,
 * recomputed for the new text). Held: kept back until released. Dropped or answered (a client
 * over the flood limit: `editCopies: false`): stored only; the copies show it with the next edit
 * they get. An edit job renders the latest version when it runs, so a copy needs at most one
 * waiting edit: a live location's stream of positions moves each copy to the newest one.
 */
export async function syncEdit(deps: DomainDeps, project: ProjectRuntime, botId: number, edited: InboundMessage, options: { editCopies?: boolean } = {}): Promise<EditOutcome> {
  const outcome = await deps.db.transaction(async (tx): Promise<EditOutcome> => {
    const found = await resolveStoredMessage(tx, viewerOf(project, botId), edited.chat.id, edited.message_id)
    if (!found || found.viaLink) return 'unknown'
    const original = found.message
    const version = { raw: edited.raw, text: edited.text ?? edited.caption ?? null }
    return syncVersion(tx, project, original, version, { flooding: options.editCopies === false, now: deps.clock.now() })
  })
  if (outcome === 'synced') deps.notify()
  return outcome
}

/** Runs the policies over a new version of `original` (from `from`, when a held one is released) and does what they decide. */
export async function syncVersion(
  tx: DbOrTx,
  project: ProjectRuntime,
  original: MessageRow,
  version: MessageVersion,
  facts: { flooding: boolean; now: Date },
  from = 0,
  released?: VariantOf,
): Promise<EditOutcome> {
  const links = await linksOfMessage(tx, original.id)
  // A staff edit's translation needs the customer (the client's language); nothing else does, so no read without it.
  const customer = original.origin === 'staff' && project.config.translation ? await findCustomer(tx, original.customerId) : undefined
  const draft: RelayDraft = {
    project,
    origin: original.origin,
    source: original.origin === 'client' ? 'client' : 'typed',
    change: 'edit',
    customerId: original.customerId,
    ...(customer ? { customer } : {}),
    text: version.text ?? '',
    copies: links.map(copyTargetOfLink),
    flooding: facts.flooding,
    now: facts.now,
  }
  const decision = await runPolicies(draft, from, released)
  const { verdict } = decision
  if (verdict.kind === 'hold') {
    const resume = { next: decision.next, source: draft.source, version: { ...version, editCount: original.editCount } }
    // An older edit still held would be released first and make this one stale: the newest version wins (its job then skips).
    await tx
      .update(relayHolds)
      .set({ state: 'discarded' })
      .where(inProject(relayHolds, project.id, eq(relayHolds.messageId, original.id), eq(relayHolds.change, 'edit'), eq(relayHolds.state, 'held')))
    const token = await storeHold(tx, project, original, { change: 'edit', policy: decision.policy ?? 'unknown', reason: verdict.reason, resume })
    await verdict.after?.(tx, original, { token })
    return 'held'
  }
  await storeVersion(tx, original, version)
  if (verdict.kind === 'drop') {
    await verdict.after?.(tx, original, undefined)
    return 'stored'
  }
  if (verdict.kind === 'respond') {
    // A client's edit is answered in their chat (the private chat's id is theirs); a staff edit is only stored.
    if (original.origin === 'client') await queueClientText(tx, project, original.chatId, verdict.text)
    return 'stored'
  }
  await editCopies(tx, project, links, decision.variants)
  await queueEditTranslation(tx, project, original, version.text)
  return 'synced'
}

async function storeVersion(tx: DbOrTx, original: MessageRow, version: MessageVersion): Promise<void> {
  await tx
    .update(messages)
    .set({ raw: JSON.stringify(version.raw), text: version.text, editCount: sql`${messages.editCount} + 1` })
    .where(eq(messages.id, original.id))
}
