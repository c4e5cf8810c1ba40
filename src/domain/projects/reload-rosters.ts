import { ConfigError, type Config } from '../../config/index.js'
import type { Database } from '../../db/client.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { syncProject } from './sync-project.js'
import { reloadAutomations } from '../autoreply/automations.js'
import { BUILT_IN_TEXTS } from '../../texts/index.js'

/** What a reload did to one project's roster. */
export interface RosterChange {
  key: string
  members: number
  added: number[]
  removed: number[]
}

export type RosterReload = { ok: true; projects: RosterChange[] } | { ok: false; reason: string }

/**
 * Re-reads the config (same validation as at start-up) and swaps in every project's new roster
 * (staff and agents). Anything wrong — an invalid file, a project that is gone — keeps every
 * old roster and says why; other keys (bots, groups, templates…) change only with a restart.
 */
export async function reloadRosters(db: Database, projects: readonly ProjectRuntime[], read: () => Config): Promise<RosterReload> {
  let config: Config
  try {
    config = read()
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, reason: error.message }
    throw error
  }
  const fresh = new Map(config.projects.map((project) => [project.key, project]))
  const missing = projects.filter((project) => !fresh.has(project.config.key)).map((project) => project.config.key)
  if (missing.length > 0) return { ok: false, reason: BUILT_IN_TEXTS.staff('reloadProjectGone', { projects: missing.join(', ') }) }
  const changes: RosterChange[] = []
  for (const project of projects) {
    const next = fresh.get(project.config.key)!
    // The staff table mirrors the roster so audit rows can name new agents too.
    await syncProject(db, next)
    const before = new Set(project.roster.members().map((m) => m.id))
    const after = new Set(next.staff.map((m) => m.id))
    project.roster.replace(next.staff)
    // Auto-replies and flows (issue 18): a broken flows file refused the whole config above, so the old ones stay.
    reloadAutomations(project, next)
    changes.push({ key: project.config.key, members: after.size, added: [...after].filter((id) => !before.has(id)), removed: [...before].filter((id) => !after.has(id)) })
  }
  return { ok: true, projects: changes }
}
