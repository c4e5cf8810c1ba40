import type { SimBot, SimChat, SimUser, Simulator } from '../src/simulator/index.js'
import type { ProjectInput, StageWorld } from './bench-world.js'

/** Admin rights a staff bot needs in its forum group. */
const STAFF_BOT_RIGHTS = { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true }

/** One project (brand) of the scale world: its own client, CS and CR bots, CS group and CR team groups. */
export interface ScaleProject {
  key: string
  bots: { client: SimBot; cs: SimBot; cr: SimBot }
  lead: SimUser
  cs: SimChat
  teams: Array<{ key: string; chat: SimChat; agent: SimUser }>
}

/** A customer of the scale world: seeded (never onboarded), in one project and one of its CR teams. */
export interface ScaleCustomer {
  index: number
  user: SimUser
  email: string
  name: string
  accountId: string
  /** The CR team's key in the service's config. */
  crTeam: string
  project: ScaleProject
  teamIndex: number
}

export interface ScaleWorldOptions {
  projects: number
  teamsPerProject: number
}

/**
 * `projects` projects in one service, each with a client bot, a CS bot, a CR bot (admin of every
 * CR group of its project), a CS lead, and `teamsPerProject` CR teams with one agent each.
 * Customers are added later, in rounds (`addScaleCustomers`).
 */
export function createScaleWorld(sim: Simulator, o: ScaleWorldOptions) {
  const projects: ScaleProject[] = Array.from({ length: o.projects }, (_, p) => {
    const bot = (k: number, role: string) => sim.createBot({ token: `${9400 + p * 10 + k}:scale-p${p}-${role}-token`, username: `scale_p${p}_${role}_bot` })
    const bots = { client: bot(0, 'client'), cs: bot(1, 'cs'), cr: bot(2, 'cr') }
    const lead = sim.createUser({ firstName: `Lead${p}` })
    const forum = (title: string, admin: SimBot, member: SimUser) => sim.createForumGroup({ title, members: [member.id], admins: [{ id: admin.id, rights: STAFF_BOT_RIGHTS }] })
    const teams = Array.from({ length: o.teamsPerProject }, (_, t) => {
      const agent = sim.createUser({ firstName: `Agent${p}.${t}` })
      return { key: `team${t}`, chat: forum(`Scale ${p} CR ${t}`, bots.cr, agent), agent }
    })
    return { key: `scale${p}`, bots, lead, cs: forum(`Scale ${p} CS`, bots.cs, lead), teams }
  })
  const config: ProjectInput[] = projects.map((p) => ({
    key: p.key,
    name: `Scale Brand ${p.key}`,
    bots: { client: p.bots.client.token, cs: p.bots.cs.token, cr: p.bots.cr.token },
    groups: {
      cs: { chatId: p.cs.id, title: 'CS' },
      cr: p.teams.map((t) => ({ key: `${p.key}-${t.key}`, title: t.chat.title, chatId: t.chat.id })),
    },
    staff: [
      { id: p.lead.id, name: `Lead ${p.key}`, roles: ['cs', 'cs_lead'] },
      ...p.teams.map((t) => ({ id: t.agent.id, name: `Agent ${p.key} ${t.key}`, roles: ['cr' as const], teams: [`${p.key}-${t.key}`] })),
    ],
  }))
  const world: StageWorld & { scaleProjects: ScaleProject[]; customers: ScaleCustomer[] } = {
    scaleProjects: projects,
    customers: [],
    tokens: projects.flatMap((p) => [p.bots.client, p.bots.cs, p.bots.cr].map((b) => b.token)),
    clientBots: projects.map((p) => p.bots.client),
    projects: config,
  }
  return world
}

export type ScaleWorld = ReturnType<typeof createScaleWorld>

/** The CR team key of a scale team as the service's config knows it (team keys are unique across projects). */
export const teamKeyOf = (project: ScaleProject, teamIndex: number) => `${project.key}-${project.teams[teamIndex]!.key}`

/**
 * Adds `perTeam` simulated users to every team of every project (the world's customers grow;
 * indexes continue). Returns the new customers, project by project and team by team.
 */
export function addScaleCustomers(sim: Simulator, world: ScaleWorld, perTeam: number): ScaleCustomer[] {
  const added: ScaleCustomer[] = []
  for (const project of world.scaleProjects)
    for (let teamIndex = 0; teamIndex < project.teams.length; teamIndex++)
      for (let i = 0; i < perTeam; i++) {
        const index = world.customers.length + added.length
        const id = String(index).padStart(6, '0')
        added.push({
          index,
          user: sim.createUser({ firstName: `Cust${id}` }),
          email: `c${id}@scale.example`,
          name: `Customer ${id}`,
          accountId: `SCL-${id}`,
          crTeam: teamKeyOf(project, teamIndex),
          project,
          teamIndex,
        })
      }
  world.customers.push(...added)
  return added
}
