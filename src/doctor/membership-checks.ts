import { eq } from 'drizzle-orm'
import { Api } from 'grammy'
import type { Config, ProjectConfig } from '../config/index.js'
import { createDatabase, type Database } from '../db/client.js'
import { projects } from '../db/schema/index.js'
import { telegramGroupMembers } from '../bots/staff/group-members.js'
import { unauthorisedMembers, type UnauthorisedMember } from '../domain/membership-sweep.js'
import type { BotRef, ProjectRuntime } from '../domain/project-runtime.js'
import { botTokensOf, STAFF_ROLES } from '../domain/roles.js'
import { Roster } from '../domain/roster.js'
import { createLogger } from '../logger.js'
import { fail, pass, type CheckRow } from './check.js'

const FIX: Record<`${UnauthorisedMember['removable']}`, string> = {
  true: 'the service removes them at its next start or config reload (SIGHUP, or /reload by an operator); to keep them, add them to the agents (or allowedMembers)',
  administrator: 'an administrator: remove them (or their admin rights) by hand, or add them to the agents',
  no_right: "the group's bot lacks the Ban users right: give it the right, or remove them by hand",
}

/**
 * With `enforceMembership`: the people in the staff groups who are not on the project's roster,
 * among those the service has seen there (stored updates and messages, past rosters) and the
 * groups' administrators — the list the membership sweep works from, one ✗ row each.
 */
export async function checkMembership(config: Config): Promise<CheckRow[]> {
  const enforced = config.projects.filter((project) => project.enforceMembership)
  if (enforced.length === 0) return []
  const { db, close } = createDatabase(config.database.urls, { poolSize: 1 })
  const rows: CheckRow[] = []
  try {
    for (const project of enforced) rows.push(...(await checkProject(config, db, project)))
  } finally {
    await close()
  }
  return rows
}

async function checkProject(config: Config, db: Database, project: ProjectConfig): Promise<CheckRow[]> {
  const [stored] = await db.select({ id: projects.id }).from(projects).where(eq(projects.key, project.key))
  const apis = new Map<number, Api>()
  const bots: ProjectRuntime['bots'] = { client: [] }
  try {
    for (const { role, tokens } of botTokensOf(project, STAFF_ROLES)) {
      for (const token of tokens) {
        const api = new Api(token, { apiRoot: config.telegram.apiRoot })
        const me = await api.getMe()
        apis.set(me.id, api)
        ;(bots[role] ??= []).push({ id: me.id, role, username: me.username } satisfies BotRef)
      }
    }
  } catch {
    return [] // the bot rows say what is wrong with the tokens
  }
  // A project the service never started has nothing seen yet: only the administrators are checked.
  const runtime: ProjectRuntime = { id: stored?.id ?? 0, config: project, bots, roles: STAFF_ROLES, roster: new Roster(project.staff), albumWindowMs: 0 }
  const found = await unauthorisedMembers(db, runtime, telegramGroupMembers(apis), createLogger('silent'))
  if (found.length === 0) return [pass('staff', `${project.key} members`, 'no one outside the roster among the people seen in the staff groups')]
  return found.map(({ group, member, removable }) =>
    fail('staff', `${member.name} (id ${member.userId}) in '${group.title}'`, `not on the roster of ${project.key}`, FIX[`${removable}`]),
  )
}
