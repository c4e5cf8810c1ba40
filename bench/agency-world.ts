import type { SimBot, SimUser, Simulator } from '../src/simulator/index.js'
import type { ProjectInput, StageWorld } from './bench-world.js'
import { teamKeyOf, type ScaleProject } from './scale-world.js'

/** Admin rights a staff bot needs in its forum group. */
const STAFF_BOT_RIGHTS = { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true }
export const AGENCY_TEAMS = 3

/** A project of the agency: the scale world's shape plus a second CR bot (a pool of 2), so 4 bots a project. */
export interface AgencyProject extends ScaleProject {
  index: number
  crPool: SimBot[]
}

/**
 * One customer of the agency as the seeder writes it. Only the "active" ones (those traffic goes
 * to) exist in the simulator, with a user and forum topics; the rest exist only in the database,
 * with Telegram ids from a range the simulator never hands out, so no simulator memory grows with them.
 */
export interface AgencyCustomer {
  index: number
  userId: number
  firstName: string
  project: AgencyProject
  teamIndex: number
  /** [CS thread, CR thread]. */
  threads: [number, number]
  active: boolean
}

/** Telegram user ids of database-only customers (the simulator's own start at 100,000,001). */
const SEEDED_USER_ID_BASE = 5_000_000_000
/** Thread ids of database-only topics: far above any message id the simulator gives in a run. */
const SEEDED_THREAD_BASE = 100_000_000

/**
 * `projects` projects in one service, each with a client bot, a CS bot, a pool of 2 CR bots (both
 * admins of the project's 3 CR groups), a CS lead and an agent per team: 4 bots a project.
 */
export function createAgencyWorld(sim: Simulator, o: { projects: number }) {
  const projects: AgencyProject[] = Array.from({ length: o.projects }, (_, p) => {
    const bot = (k: number, role: string) => sim.createBot({ token: `${20_000 + p * 10 + k}:agency-p${p}-${role}-token`, username: `agency_p${p}_${role}_bot` })
    const crPool = [bot(2, 'cr'), bot(3, 'cr2')]
    const bots = { client: bot(0, 'client'), cs: bot(1, 'cs'), cr: crPool[0]! }
    const lead = sim.createUser({ firstName: `Lead${p}` })
    const forum = (title: string, admins: SimBot[], member: SimUser) =>
      sim.createForumGroup({ title, members: [member.id], admins: admins.map((a) => ({ id: a.id, rights: STAFF_BOT_RIGHTS })) })
    const teams = Array.from({ length: AGENCY_TEAMS }, (_, t) => {
      const agent = sim.createUser({ firstName: `Agent${p}.${t}` })
      return { key: `team${t}`, chat: forum(`Agency ${p} CR ${t}`, crPool, agent), agent }
    })
    return { index: p, key: `agency${p}`, bots, crPool, lead, cs: forum(`Agency ${p} CS`, [bots.cs], lead), teams }
  })
  const config: ProjectInput[] = projects.map((p) => ({
    key: p.key,
    name: `Agency Brand ${p.index}`,
    bots: { client: p.bots.client.token, cs: p.bots.cs.token, cr: p.crPool.map((b) => b.token) },
    groups: {
      cs: { chatId: p.cs.id, title: 'CS' },
      cr: p.teams.map((t) => ({ key: `${p.key}-${t.key}`, title: t.chat.title, chatId: t.chat.id })),
    },
    staff: [
      { id: p.lead.id, name: `Lead ${p.key}`, roles: ['cs', 'cs_lead'] },
      ...p.teams.map((t) => ({ id: t.agent.id, name: `Agent ${p.key} ${t.key}`, roles: ['cr' as const], teams: [`${p.key}-${t.key}`] })),
    ],
  }))
  const world: StageWorld & { agencyProjects: AgencyProject[] } = {
    agencyProjects: projects,
    tokens: projects.flatMap((p) => [p.bots.client, p.bots.cs, ...p.crPool].map((b) => b.token)),
    clientBots: projects.map((p) => p.bots.client),
    projects: config,
  }
  return world
}

export type AgencyWorld = ReturnType<typeof createAgencyWorld>

export { teamKeyOf }

/**
 * The customer at `index` of `total` (spread round-robin over projects, then teams). Active ones
 * get a simulator user now; their topics are made by `seedActiveTopics`.
 */
export function agencyCustomer(sim: Simulator, world: AgencyWorld, index: number, active: boolean): AgencyCustomer {
  const projects = world.agencyProjects
  const project = projects[index % projects.length]!
  const teamIndex = Math.floor(index / projects.length) % AGENCY_TEAMS
  const firstName = `Cust${String(index).padStart(7, '0')}`
  const userId = active ? sim.createUser({ firstName }).id : SEEDED_USER_ID_BASE + index
  return { index, userId, firstName, project, teamIndex, threads: [SEEDED_THREAD_BASE + index, SEEDED_THREAD_BASE + index], active }
}

/** Topic name as the service gives it ("name · account id"). */
export const agencyTopicName = (c: AgencyCustomer) => `${c.firstName} · ${accountIdOf(c)}`
export const accountIdOf = (c: AgencyCustomer) => `AGY-${String(c.index).padStart(7, '0')}`
export const emailOf = (c: AgencyCustomer) => `c${c.index}@agency.example`

/** Forum topics in the simulator for the active customers (created by the project's CS / CR bot, no updates). */
export function seedActiveTopics(sim: Simulator, customers: AgencyCustomer[]): void {
  const byGroup = new Map<number, { bot: number; list: Array<{ c: AgencyCustomer; slot: 0 | 1 }> }>()
  const add = (chatId: number, bot: number, c: AgencyCustomer, slot: 0 | 1) => {
    const entry = byGroup.get(chatId) ?? { bot, list: [] }
    entry.list.push({ c, slot })
    byGroup.set(chatId, entry)
  }
  for (const c of customers) {
    if (!c.active) continue
    add(c.project.cs.id, c.project.bots.cs.id, c, 0)
    add(c.project.teams[c.teamIndex]!.chat.id, c.project.bots.cr.id, c, 1)
  }
  for (const [chatId, { bot, list }] of byGroup)
    sim
      .seedTopics(
        chatId,
        bot,
        list.map(({ c }) => agencyTopicName(c)),
      )
      .forEach((thread, k) => (list[k]!.c.threads[list[k]!.slot] = thread))
}
