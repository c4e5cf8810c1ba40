import { and, eq, isNull, or } from 'drizzle-orm'
import { inProject, inProjects } from '../../db/project-scope.js'
import { broadcasts } from '../../db/schema/index.js'
import { cancelKeyboard } from '../buttons/broadcast.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { countBroadcastRows, queueConfirmationEdit } from './broadcasts.js'

/**
 * At most one progress edit of a confirmation this often: the edits share the CS group's budget
 * (20 a minute) with everything else posted there. A waiting edit is replaced, never queued twice.
 */
export const PROGRESS_EDIT_EVERY_MS = 3000

/**
 * One pass over the running broadcasts (and the cancelled ones whose rows in flight may still
 * finish): their counts are read from their outbox rows and stored, a finished one is marked
 * done, and the confirmation is edited when the figures changed and the last edit is old enough
 * (the final figures always).
 */
export async function refreshBroadcasts(deps: DomainDeps, projects: ProjectRuntime[]): Promise<void> {
  if (projects.length === 0) return
  const running = await deps.db
    .select()
    .from(broadcasts)
    .where(
      inProjects(
        broadcasts,
        projects.map((p) => p.id),
        or(eq(broadcasts.state, 'sending'), and(eq(broadcasts.state, 'cancelled'), isNull(broadcasts.finishedAt))),
      ),
    )
  let queued = false
  for (const row of running) {
    const project = projects.find((p) => p.id === row.projectId)
    if (!project) continue
    const counts = await countBroadcastRows(deps.db, row.id)
    const finished = counts.waiting === 0
    const state = row.state === 'sending' ? (finished ? 'done' : 'sending') : 'cancelled'
    const changed = counts.sent !== row.sent || counts.blocked !== row.blocked || counts.failed !== row.failed || counts.cancelled !== row.cancelled
    const now = deps.clock.now()
    const due = finished || !row.progressEditedAt || now.getTime() - row.progressEditedAt.getTime() >= PROGRESS_EDIT_EVERY_MS
    const edit = row.confirmChatId !== null && row.confirmMessageId !== null && row.confirmBotId !== null && due && (changed || finished)
    await deps.db.transaction(async (tx) => {
      await tx
        .update(broadcasts)
        .set({
          sent: counts.sent,
          blocked: counts.blocked,
          failed: counts.failed,
          cancelled: counts.cancelled,
          state,
          ...(finished ? { finishedAt: now } : {}),
          ...(edit ? { progressEditedAt: now } : {}),
        })
        .where(inProject(broadcasts, row.projectId, eq(broadcasts.id, row.id)))
      if (!edit) return
      const text = textsOf(project).staff('broadcastProgress', { segment: row.segment, total: row.total, ...counts, state })
      await queueConfirmationEdit(tx, project, row, text, state === 'sending' ? cancelKeyboard(project, row.id) : { inline_keyboard: [] })
      queued = true
    })
  }
  if (queued) deps.notify()
}
