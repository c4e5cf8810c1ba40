import { parseArgs } from 'node:util'
import { startSimulator } from './index.js'
import { seedSample, writeSampleConfig } from './sample.js'
import { startFakeOpenAI, type Flavour } from './openai/index.js'

/**
 * `npm run simulator -- [--port 8081] [--host 127.0.0.1] [--verbose] [--sample [--write-config sim.yaml]] [--openai ollama]`:
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
    /** Also a fake OpenAI-compatible provider of this flavour (openai, ollama, llamacpp, vllm); its base URL is printed. */
    openai: { type: 'string' },
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
const flavours = ['openai', 'ollama', 'llamacpp', 'vllm']
if (values.openai !== undefined && !flavours.includes(values.openai)) {
  console.error(`--openai takes a flavour: ${flavours.join(', ')}`)
  process.exit(2)
}
const openai = values.openai !== undefined ? await startFakeOpenAI({ flavour: values.openai as Flavour }) : undefined
if (openai) console.log(`fake ${openai.flavour} provider: assistant.baseUrl ${openai.url}, model ${openai.model}`)
const stop = () => void Promise.all([sim.close(), openai?.close()]).then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
