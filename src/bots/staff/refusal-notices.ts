import type { ProjectRuntime } from '../../domain/project-runtime.js'

/** How long one refusal notice covers a person's further messages in the same group. */
const QUIET_MS = 60 * 60 * 1000

const lastNotice = new WeakMap<ProjectRuntime, Map<string, number>>()

/**
 * Whether to tell this person (again) that their messages in this group are not relayed: once
 * per group and hour, so someone who keeps typing is not answered message by message. Kept in
 * memory per project runtime: a restart may tell them once more, which is harmless.
 */
export function firstRefusalInWindow(project: ProjectRuntime, chatId: number, userId: number, now = Date.now()): boolean {
  let seen = lastNotice.get(project)
  if (!seen) lastNotice.set(project, (seen = new Map<string, number>()))
  const key = `${chatId}:${userId}`
  const last = seen.get(key)
  if (last !== undefined && now - last < QUIET_MS) return false
  seen.set(key, now)
  return true
}
