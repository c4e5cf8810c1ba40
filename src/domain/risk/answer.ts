import { eq, lte } from 'drizzle-orm'
import { inProject, inProjects } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { relayHolds, riskPrompts } from '../../db/schema/index.js'
import { recordAudit } from '../audit/events.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { releaseHold } from '../relay/release.js'
import { loadRiskBooks } from './phrases.js'
import { closeRiskPromptMessages, postRiskFallbacks, type RiskPromptRow } from './prompts.js'

/** What a press on a risk prompt did; the bot answers the press with `text`. */
export type RiskPressOutcome = { kind: 'sent' | 'cancelled' | 'expired' | 'not_author' | 'done' | 'unknown'; text: string }

type Ending = 'confirmed' | 'cancelled' | 'expired'

/** Ends a pending prompt in the caller's transaction: its state, the hold discarded (unless confirmed), the audit row, its messages edited. */
async function endPrompt(tx: DbOrTx, project: ProjectRuntime, prompt: RiskPromptRow, ending: Ending, at: Date, pressedEphemeralId?: number): Promise<void> {
  await tx
    .update(riskPrompts)
    .set({ state: ending })
    .where(inProject(riskPrompts, project.id, eq(riskPrompts.id, prompt.id)))
  if (ending !== 'confirmed') {
    await tx
      .update(relayHolds)
      .set({ state: 'discarded' })
      .where(inProject(relayHolds, project.id, eq(relayHolds.token, prompt.holdToken), eq(relayHolds.state, 'held')))
  }
  await recordAudit(tx, project.id, {
    kind: 'risk_hit',
    actorUserId: prompt.authorUserId,
    customerId: prompt.customerId,
    details: { phrase: prompt.phrase, action: ending },
    text: prompt.text ?? '',
    at,
  })
  const text = textsOf(project).staff(ending === 'confirmed' ? 'riskSent' : ending === 'cancelled' ? 'riskCancelled' : 'riskExpired', { phrase: prompt.phrase })
  await closeRiskPromptMessages(tx, project, prompt, text, pressedEphemeralId)
}

/**
 * "Send anyway" or "Cancel" pressed on a risk prompt: only its author may answer, once, within
 * `riskPrompt.validMinutes` (later it is expired as cancelled). Send anyway releases the hold
 * (`releaseHold`: the message is relayed as if it had passed); Cancel discards it.
 */
export async function answerRiskPrompt(
  deps: DomainDeps,
  project: ProjectRuntime,
  press: { promptId: number; choice: 'send' | 'cancel'; userId: number; ephemeralMessageId?: number },
): Promise<RiskPressOutcome> {
  const now = deps.clock.now()
  const outcome = await deps.db.transaction(async (tx): Promise<RiskPressOutcome & { token?: string }> => {
    const [prompt] = await tx
      .select()
      .from(riskPrompts)
      .where(inProject(riskPrompts, project.id, eq(riskPrompts.id, press.promptId)))
      .for('update')
    if (!prompt) return { kind: 'unknown', text: textsOf(project).staff('riskAlreadyAnswered') }
    if (prompt.authorUserId !== press.userId) return { kind: 'not_author', text: textsOf(project).staff('riskNotYours') }
    if (prompt.state !== 'pending') return { kind: 'done', text: textsOf(project).staff('riskAlreadyAnswered') }
    if (prompt.expiresAt <= now) {
      await endPrompt(tx, project, prompt, 'expired', now, press.ephemeralMessageId)
      return { kind: 'expired', text: textsOf(project).staff('riskPressExpired') }
    }
    if (press.choice === 'cancel') {
      await endPrompt(tx, project, prompt, 'cancelled', now, press.ephemeralMessageId)
      return { kind: 'cancelled', text: textsOf(project).staff('riskPressCancelled') }
    }
    await endPrompt(tx, project, prompt, 'confirmed', now, press.ephemeralMessageId)
    return { kind: 'sent', text: textsOf(project).staff('riskPressSent'), token: prompt.holdToken }
  })
  // The prompt's row was answered once (under its lock); the hold's own lock keeps the release single.
  if (outcome.token) await releaseHold(deps, project, outcome.token)
  else deps.notify()
  return { kind: outcome.kind, text: outcome.text }
}

/**
 * The sweep (cron, every few seconds): prompts past `expiresAt` are expired as cancelled; prompts
 * whose ephemeral send was refused, or not answered by `fallbackAt`, are posted as normal replies;
 * every project's phrases are re-read (another instance's `/risk` change). Two statements for all
 * projects when no prompt is pending, so an idle run costs the same for 1 project or 100.
 */
export async function sweepAllRiskPrompts(deps: DomainDeps, projects: readonly ProjectRuntime[]): Promise<void> {
  if (projects.length === 0) return
  await loadRiskBooks(deps.db, projects)
  const pending = await deps.db
    .selectDistinct({ projectId: riskPrompts.projectId })
    .from(riskPrompts)
    .where(
      inProjects(
        riskPrompts,
        projects.map((p) => p.id),
        eq(riskPrompts.state, 'pending'),
      ),
    )
  for (const project of projects) if (pending.some((p) => p.projectId === project.id)) await sweepPendingPrompts(deps, project)
}

async function sweepPendingPrompts(deps: DomainDeps, project: ProjectRuntime): Promise<void> {
  const now = deps.clock.now()
  const queued = await deps.db.transaction(async (tx) => {
    const expired = await tx
      .select()
      .from(riskPrompts)
      .where(inProject(riskPrompts, project.id, eq(riskPrompts.state, 'pending'), lte(riskPrompts.expiresAt, now)))
      .for('update')
    for (const prompt of expired) await endPrompt(tx, project, prompt, 'expired', now)
    return expired.length + (await postRiskFallbacks(tx, project, now))
  })
  if (queued > 0) deps.notify()
}
