import { parseArgs } from 'node:util'
import { startSimulator } from './index.js'
import { seedSample, writeSampleConfig } from './sample.js'

/**
 * `npm run simulator -- [--port 8081] [--host 127.0.0.1] [--verbose] [--sample [--write-config sim.yaml]]`:
 * a standalone simulator for manual runs. `--sample` seeds the demo's agency and serves `/_sim/…`
 * to act as its people (see control.ts); `--write-config` writes the matching service config.
 * The first line printed is the simulator's URL.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    sample: { type: 'boolean', default: false },
    'write-config': { type: 'string' },
  },
})
if (values['write-config'] !== undefined && !values.sample) {
  console.error('--write-config needs --sample: an empty simulator has no bots to configure')
  process.exit(2)
}
const sim = await startSimulator({ port: Number(values.port), host: values.host, log: values.verbose ? (line) => console.log(line) : undefined })
console.log(sim.url)
if (values.sample) {
  const world = seedSample(sim)
  console.log(`sample world: client bot @${world.bots.client.username}; people ${Object.keys(world.people).join(', ')}; groups ${Object.keys(world.groups).join(', ')}`)
  const configPath = values['write-config']
  if (configPath !== undefined) {
    const csvPath = writeSampleConfig(sim, world, configPath)
    console.log(`wrote ${configPath} (service config) and ${csvPath} (accounts)`)
  }
  console.log(`act as people: ${sim.url}/_sim/world, /_sim/send, /_sim/press, /_sim/messages, /_sim/topics`)
}
const stop = () => void sim.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
