import { writeFileSync } from 'node:fs'
import type { ConfigInput } from '../src/config/schema.js'
import type { SimBot, SimChat, SimUser, Simulator } from '../src/simulator/index.js'

/** Admin rights a staff bot needs in its forum group. */
const STAFF_BOT_RIGHTS = { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true }
const CR_TEAMS = ['north', 'south'] as const

export interface BenchCustomer {
  index: number
  user: SimUser
  email: string
  name: string
  accountId: string
  crTeam: CrTeamKey
}

export type CrTeamKey = (typeof CR_TEAMS)[number]

export interface BenchWorldOptions {
  customers: number
  csBots: number
  /** CR bots in the pool (default 1), each an admin of both CR groups. */
  crBots?: number
  /** Every customer in this CR team (default: half per team). */
  crTeam?: CrTeamKey
}

/**
 * The benchmark's agency: like the sample world, with N customers (half per CR team unless one
 * team is given, no Treatment), a pool of `csBots` CS bots (admins of the CS group) and a pool
 * of `crBots` CR bots (admins of both CR groups).
 */
export function createBenchWorld(sim: Simulator, options: BenchWorldOptions) {
  const bot = (n: number, role: string) => sim.createBot({ token: `${9100 + n}:bench-${role}-token`, username: `bench_${role}_bot` })
  const bots = {
    client: bot(0, 'client'),
    cs: Array.from({ length: options.csBots }, (_, i) => bot(10 + i, `cs${i}`)),
    cr: Array.from({ length: options.crBots ?? 1 }, (_, i) => (i === 0 ? bot(1, 'cr') : bot(20 + i, `cr${i}`))),
  }
  const lead = sim.createUser({ firstName: 'Lena', username: 'lena_lead' })
  const agent = sim.createUser({ firstName: 'Ravi', username: 'ravi_cr' })
  const forum = (title: string, admins: SimBot[], members: SimUser[]): SimChat =>
    sim.createForumGroup({ title, members: members.map((m) => m.id), admins: admins.map((b) => ({ id: b.id, rights: STAFF_BOT_RIGHTS })) })
  const groups = {
    cs: forum('Bench CS', bots.cs, [lead]),
    north: forum('Bench CR North', bots.cr, [agent]),
    south: forum('Bench CR South', bots.cr, [agent]),
  }
  const customers: BenchCustomer[] = Array.from({ length: options.customers }, (_, index) => {
    const id = String(index).padStart(5, '0')
    return {
      index,
      user: sim.createUser({ firstName: `Cust${id}` }),
      email: `c${id}@bench.example`,
      name: `Customer ${id}`,
      accountId: `BEN-${id}`,
      crTeam: options.crTeam ?? (CR_TEAMS[index % CR_TEAMS.length] as CrTeamKey),
    }
  })
  const project = {
    key: 'bench',
    name: 'Bench Agency',
    bots: { client: bots.client.token, cs: bots.cs.map((b) => b.token), cr: bots.cr.length === 1 ? bots.cr[0]!.token : bots.cr.map((b) => b.token) },
    groups: {
      cs: { chatId: groups.cs.id, title: 'Bench CS' },
      cr: [
        { key: 'north', title: 'CR North', chatId: groups.north.id },
        { key: 'south', title: 'CR South', chatId: groups.south.id },
      ],
    },
    staff: [
      { id: lead.id, name: 'Lena', roles: ['cs', 'cs_lead'] },
      { id: agent.id, name: 'Ravi', roles: ['cr'] },
    ],
  }
  const tokens = [bots.client, ...bots.cs, ...bots.cr].map((b) => b.token)
  return { bots, lead, agent, groups, customers, project, tokens, clientBots: [bots.client], projects: [project as ProjectInput] }
}

export type ProjectInput = NonNullable<ConfigInput['projects']>[number]

/** What a stage needs of any world: every bot's token (ready once all poll), the client bots (ingress latency), the service's projects. */
export interface StageWorld {
  tokens: string[]
  clientBots: Array<{ id: number; token: string }>
  projects: ProjectInput[]
}

export type BenchWorld = ReturnType<typeof createBenchWorld>

export interface ServiceSettings {
  workersPerClass: number
  /** The planner's budgets (Telegram's limits), or false for none. */
  budgets: false | { privatePerSecond: number; privateBurst: number; groupPerMinute: number; globalPerSecond: number }
  /** cron.recordsSync schedule (the service's default when absent). */
  recordsSync?: string
}

/** Writes the service's config file (JSON) for this world and returns its path. */
export function writeServiceConfig(path: string, sim: Simulator, world: StageWorld, databaseUrl: string | readonly string[], settings: ServiceSettings): string {
  const config: ConfigInput = {
    telegram: { apiRoot: sim.url, pollTimeoutSeconds: 10 },
    database: typeof databaseUrl === 'string' ? { url: databaseUrl } : { urls: [...databaseUrl] },
    // BENCH_LOG_LEVEL=debug gives the service's per-move and per-claim lines (the log grows large).
    log: { level: (process.env.BENCH_LOG_LEVEL as 'debug' | 'info' | undefined) ?? 'warn' },
    http: { port: 0 },
    // pollIntervalMs stays at its default: idle workers look for due rows once per interval, a commit wakes them at once.
    delivery: { workersPerClass: settings.workersPerClass, albumWindowMs: 300, maxAttempts: 8, budgets: settings.budgets },
    ...(settings.recordsSync ? { cron: { recordsSync: settings.recordsSync } } : {}),
    // The bench's clients write far faster than a person: the per-client flood limit stays out of the way.
    projects: world.projects.map((project) => ({ ...project, flood: { maxMessages: 1_000_000 } })),
  }
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}
