import type { ConfigInput } from '../config/schema.js'
import type { Simulator } from '../simulator/index.js'

/** Admin rights a staff bot needs in its forum group. */
const STAFF_BOT_RIGHTS = { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true }

export interface SampleAccount {
  email: string
  name: string
  accountId: string
  crTeam: string
  treatment: boolean
}

/**
 * The sample agency used by the demo and the end-to-end tests: one project with a client bot,
 * CS/CR/Treatment bots, a CS group, two CR teams, a Treatment group, staff and two clients.
 */
export function createSampleWorld(sim: Simulator, options: { keySuffix?: string } = {}) {
  const n = options.keySuffix ?? ''
  const bots = {
    client: sim.createBot({ token: `7001${n}:client-bot-token`, username: `acme${n}_bot` }),
    cs: sim.createBot({ token: `7002${n}:cs-bot-token`, username: `acme${n}_cs_bot` }),
    cr: sim.createBot({ token: `7003${n}:cr-bot-token`, username: `acme${n}_cr_bot` }),
    treatment: sim.createBot({ token: `7004${n}:treatment-bot-token`, username: `acme${n}_treatment_bot` }),
  }
  const people = {
    alice: sim.createUser({ firstName: 'Alice', username: 'alice_cs' }),
    bob: sim.createUser({ firstName: 'Bob', username: 'bob_cs' }),
    carol: sim.createUser({ firstName: 'Carol', username: 'carol_cr' }),
    dave: sim.createUser({ firstName: 'Dave', username: 'dave_cr' }),
    tess: sim.createUser({ firstName: 'Tess', username: 'tess_care' }),
    mallory: sim.createUser({ firstName: 'Mallory', username: 'mallory' }),
    zoe: sim.createUser({ firstName: 'Zoe', lastName: 'Quinn', username: 'zoeq' }),
    yuri: sim.createUser({ firstName: 'Yuri', username: 'yuri' }),
  }
  const forum = (title: string, bot: { id: number }, members: Array<{ id: number }>) =>
    sim.createForumGroup({ title, members: [...members.map((m) => m.id), people.mallory.id], admins: [{ id: bot.id, rights: STAFF_BOT_RIGHTS }] })
  const groups = {
    cs: forum('Acme CS', bots.cs, [people.alice, people.bob]),
    north: forum('Acme CR North', bots.cr, [people.carol]),
    south: forum('Acme CR South', bots.cr, [people.dave]),
    treatment: forum('Acme Treatment', bots.treatment, [people.tess]),
  }
  const accounts: SampleAccount[] = [
    { email: 'zoe@example.com', name: 'Zoe Quinn', accountId: 'ACC-1001', crTeam: 'north', treatment: false },
    { email: 'yuri@example.com', name: 'Yuri Petrov', accountId: 'ACC-1002', crTeam: 'south', treatment: true },
  ]
  const project = {
    key: `acme${n}`,
    name: 'Acme Agency',
    bots: { client: bots.client.token, cs: bots.cs.token, cr: bots.cr.token, treatment: bots.treatment.token },
    groups: {
      cs: { chatId: groups.cs.id, title: 'Acme CS' },
      cr: [
        { key: 'north', title: 'CR North', chatId: groups.north.id },
        { key: 'south', title: 'CR South', chatId: groups.south.id },
      ],
      treatment: { chatId: groups.treatment.id, title: 'Treatment' },
    },
    staff: [
      { id: people.alice.id, name: 'Alice', roles: ['cs', 'cs_lead'] as const },
      { id: people.bob.id, name: 'Bob', roles: ['cs'] as const },
      { id: people.carol.id, name: 'Carol', roles: ['cr'] as const, teams: ['north'] },
      { id: people.dave.id, name: 'Dave', roles: ['cr'] as const, teams: ['south'] },
      { id: people.tess.id, name: 'Tess', roles: ['treatment'] as const },
    ].map((s) => ({ ...s, roles: [...s.roles] })),
  }
  return { bots, people, groups, accounts, project }
}

export type SampleWorld = ReturnType<typeof createSampleWorld>

/**
 * A second brand of the same agency ("beta"): its own client bot, staff bots, groups, people and
 * role labels, plus one agent of the first brand (Bob) on its CS staff, so one person works in
 * both brands. Nothing else is shared: the two projects must stay fully isolated.
 */
export function createSecondBrand(sim: Simulator, first: SampleWorld) {
  const world = createSampleWorld(sim, { keySuffix: '2' })
  const sharedAgent = first.people.bob
  sim.addMember(world.groups.cs.id, sharedAgent.id)
  const project = {
    ...world.project,
    key: 'beta',
    name: 'Beta Brand',
    staff: [...world.project.staff, { id: sharedAgent.id, name: 'Bob', roles: ['cs' as const] }],
    relay: { roleLabels: { cs: 'Beta Care', cr: 'Beta Success', treatment: 'Beta Treatment' } },
  }
  return { ...world, project, sharedAgent }
}

export type SecondBrand = ReturnType<typeof createSecondBrand>

/** A full service config for the sample world, pointed at the simulator. */
export function sampleConfig(sim: Simulator, world: SampleWorld, databaseUrl: string, overrides: Partial<ConfigInput> = {}): ConfigInput {
  return {
    telegram: { apiRoot: sim.url, pollTimeoutSeconds: 1, throttleDirectCalls: false },
    database: { url: databaseUrl },
    log: { level: 'warn' },
    // Any free port: several services (tests, the demo, the bench) may run on one machine.
    http: { port: 0 },
    // The simulator emulates no rate limits unless asked, so budgets are off here (tests of the planner turn both on).
    delivery: { workersPerClass: 2, pollIntervalMs: 50, albumWindowMs: 300, maxAttempts: 5, budgets: false },
    projects: [world.project],
    ...overrides,
  }
}
