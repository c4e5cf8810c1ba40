import { writeFileSync } from 'node:fs'
import { stringify } from 'yaml'
import { createSampleWorld, sampleConfig, type SampleWorld } from '../demo/sample-world.js'
import type { SimDirectory } from './control.js'
import type { Simulator } from './simulator.js'

/** The demo's agency in a running simulator, with its names mounted on `/_sim/…`. */
export function seedSample(sim: Simulator): SampleWorld {
  const world = createSampleWorld(sim)
  const directory: SimDirectory = {
    users: Object.fromEntries(Object.entries(world.people).map(([name, person]) => [name, person.id])),
    bots: world.bots,
    groups: Object.fromEntries(Object.entries(world.groups).map(([name, group]) => [name, group.id])),
  }
  sim.mountControl(directory)
  return world
}

/**
 * Writes a service config matching the seeded world (tokens, group ids, staff; the database URL
 * stays `${DATABASE_URL}`) and, beside it, the accounts CSV its clients onboard with.
 * Returns the CSV's path.
 */
export function writeSampleConfig(sim: Simulator, world: SampleWorld, configPath: string): string {
  const config = sampleConfig(sim, world, '${DATABASE_URL}', { log: { level: 'info' } })
  const header = `# Written by \`npm run simulator -- --sample --write-config\` for the simulator at ${sim.url}.\n# Its world lives in that process's memory: restart both, with a fresh database, to start over.\n`
  writeFileSync(configPath, header + stringify(config))
  const csvPath = configPath.replace(/(\.ya?ml|\.json)?$/, '.accounts.csv')
  const rows = world.accounts.map((a) => [a.email, a.name, a.accountId, a.crTeam, String(a.treatment)].join(','))
  writeFileSync(csvPath, ['email,name,account_id,cr_team,treatment', ...rows].join('\n') + '\n')
  return csvPath
}
