import { startSimulator } from './index.js'

/** `tsx src/simulator/cli.ts --port 8081 [--verbose]`: a standalone simulator for manual runs. */
const args = process.argv.slice(2)
const portAt = args.indexOf('--port')
const port = portAt >= 0 ? Number(args[portAt + 1]) : 0
const sim = await startSimulator({ port, log: args.includes('--verbose') ? (line) => console.log(line) : undefined })
console.log(sim.url)
const stop = () => void sim.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
