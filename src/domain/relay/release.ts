import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import { customers, messages, relayHolds } from '../../db/schema/index.js'
import type { DomainDeps } from '../deps.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { syncVersion } from './edits.js'
import type { HoldResume } from './holds.js'
import { resumeMessage, type VariantOf } from './pipeline.js'
import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'

/** What the policy that held a message adds when releasing it (translation: the copies' variants, a notice where it was typed). */
export interface HoldRelease {
  variantOf?: VariantOf
  /** Runs in the release's transaction once the message (or edit) is relayed. */
  after?: (tx: DbOrTx, message: MessageRow, resume: HoldResume) => Promise<void>
  /**
   * Runs under the hold's lock before it is released: false keeps it held (the policy queued
   * what comes next; translation: the message was edited since its text was translated).
   */
  stillCurrent?: (tx: DbOrTx, message: MessageRow, hold: { change: 'message' | 'edit' }) => Promise<boolean>
}

/** What became of a release: 'relayed' (or the edit synced), 'stopped' (a later policy held, answered or dropped it), 'done' (released or discarded before), 'kept' (`stillCurrent` said no), 'unknown' (no such hold here). */
export type ReleaseOutcome = 'relayed' | 'stopped' | 'done' | 'kept' | 'unknown'

/**
 * Releases a held message or edit by its token ("Send anyway"): the policies after the one that
 * held it run, then it is relayed exactly as if it had passed. Once only: a second release, or
 * one after `discardHold`, changes nothing.
 */
export async function releaseHold(deps: DomainDeps, project: ProjectRuntime, token: string, release: HoldRelease = {}): Promise<ReleaseOutcome> {
  const outcome = await deps.db.transaction(async (tx): Promise<ReleaseOutcome> => {
    const [hold] = await tx
      .select()
      .from(relayHolds)
      .where(inProject(relayHolds, project.id, eq(relayHolds.token, token)))
      .for('update')
    if (!hold) return 'unknown'
    if (hold.state !== 'held') return 'done'
    const resume = JSON.parse(hold.resume) as HoldResume
    // The hold's lock keeps releases apart; the customer is locked as a client message locks it.
    const [message] = await tx.select().from(messages).where(eq(messages.id, hold.messageId))
    if (message && !message.deleted && release.stillCurrent && !(await release.stillCurrent(tx, message, hold))) return 'kept'
    await tx
      .update(relayHolds)
      .set({ state: 'released' })
      .where(inProject(relayHolds, hold.projectId, eq(relayHolds.id, hold.id)))
    if (!message || message.deleted) return 'done'
    if (hold.change === 'edit') {
      // A version edited again since it was held is not brought back over the newer one.
      if (!resume.version || message.editCount !== resume.version.editCount) return 'done'
      const synced = await syncVersion(tx, project, message, resume.version, { flooding: false, now: deps.clock.now() }, resume.next, release.variantOf)
      if (synced === 'synced') await release.after?.(tx, message, resume)
      return synced === 'synced' ? 'relayed' : 'stopped'
    }
    const [customer] = await tx.select().from(customers).where(eq(customers.id, message.customerId)).for('update')
    if (!customer) return 'done'
    const context = { source: resume.source, customer, attribution: resume.attribution, typedIn: resume.typedIn }
    const relayed = await resumeMessage(tx, deps.clock, project, context, message, resume.next, release.variantOf)
    if (relayed.kind === 'relayed') await release.after?.(tx, message, resume)
    return relayed.kind === 'relayed' ? 'relayed' : 'stopped'
  })
  if (outcome === 'relayed' || outcome === 'stopped') deps.notify()
  return outcome
}

/** Discards a hold: the message stays stored and is never relayed (its author took it back). */
export async function discardHold(deps: Pick<DomainDeps, 'db'>, project: Pick<ProjectRuntime, 'id'>, token: string): Promise<boolean> {
  const [result] = await deps.db
    .update(relayHolds)
    .set({ state: 'discarded' })
    .where(inProject(relayHolds, project.id, eq(relayHolds.token, token), eq(relayHolds.state, 'held')))
  return result.affectedRows > 0
}
