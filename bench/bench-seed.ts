import type { Simulator } from '../src/simulator/index.js'
import type { BenchDatabase } from './bench-database.js'
import type { BenchWorld, CrTeamKey } from './bench-world.js'
import type { CustomerTopics } from './onboarding.js'
import { seedScaleCustomers } from './scale-seed.js'
import type { ScaleCustomer, ScaleProject } from './scale-world.js'

const TEAMS: CrTeamKey[] = ['north', 'south']

/**
 * Capacity's `--seeded`: the bench world's customers put straight into the database and their
 * topics into the simulator, as the scale scenario seeds its own (`seedScaleCustomers`: account,
 * active customer with an owner, decided assignment, open CS and CR topics, multi-row INSERTs),
 * instead of taking each through onboarding (100,000 customers would take hours). Their topics
 * are created by the first CS bot and the first CR bot; the CR team's agent owns each customer.
 */
export async function seedBenchCustomers(sim: Simulator, world: BenchWorld, database: BenchDatabase): Promise<CustomerTopics[]> {
  const project: ScaleProject = {
    key: world.project.key,
    bots: { client: world.bots.client, cs: world.bots.cs[0]!, cr: world.bots.cr[0]! },
    lead: world.lead,
    cs: world.groups.cs,
    teams: TEAMS.map((key) => ({ key, chat: world.groups[key], agent: world.agent })),
  }
  const customers: ScaleCustomer[] = world.customers.map((c) => ({ ...c, project, teamIndex: TEAMS.indexOf(c.crTeam) }))
  const targets = await seedScaleCustomers(sim, { scaleProjects: [project] }, database, customers)
  return targets.map((target, i) => ({ customer: world.customers[i]!, topics: target.topics }))
}
