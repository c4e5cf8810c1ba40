import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { setPresence, type PresenceStatus } from '../presence.js'
import { memberName, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { drainQueue } from './queue.js'
import { presenceLabel } from './who.js'

export type PresenceOutcome = { ok: true; text: string } | { ok: false; reason: string }

/**
 * `/online`, `/away`, `/offline` from one of the project's staff (in a staff group or a private
 * chat with a staff bot): records the status, which is the agent's in every brand they work for.
 */
export async function declarePresence(deps: DomainDeps, project: ProjectRuntime, userId: number, status: PresenceStatus): Promise<PresenceOutcome> {
  const refusal = refusalFor(project, userId, 'set_presence')
  if (refusal) return { ok: false, reason: refusal }
  await setPresence(deps.db, userId, status, deps.clock.now())
  if (status === 'online') await agentCameOnline(deps, project, userId)
  return { ok: true, text: textsOf(project).staff('presenceDeclared', { label: presenceLabel(project, { status, explicit: true }), name: memberName(project, userId), status }) }
}

/**
 * The one place that reacts to an agent coming online: this project's waiting customers are
 * routed at once; the other brands they work for follow within the queue job's interval.
 */
export async function agentCameOnline(deps: DomainDeps, project: ProjectRuntime, userId: number): Promise<void> {
  deps.logger.debug({ project: project.config.key, userId }, 'agent came online')
  await drainQueue(deps, project, deps.clock.now())
}
