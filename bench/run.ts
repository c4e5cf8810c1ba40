import { mkdirSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { BenchServer } from './bench-database.js'
import { parseOptions, type ScenarioName } from './options.js'
import { RESULTS_DIR } from './paths.js'
import { renderScenario, writeResults } from './report.js'
import type { Scenario, ScenarioResult } from './scenario.js'
import { runBroadcast } from './scenarios/broadcast.js'
import { runCapacity } from './scenarios/capacity.js'
import { runFaults } from './scenarios/faults.js'
import { galeraCustomers, runGalera } from './scenarios/galera.js'
import { instancesCustomers, runInstances } from './scenarios/instances.js'
import { runLimits } from './scenarios/limits.js'
import { DEFAULT_CUSTOMERS as REASSIGN_CUSTOMERS, runReassign } from './scenarios/reassign.js'
import { runScale } from './scenarios/scale.js'
import { runAgencyScale } from './scenarios/agency-scale.js'

const SCENARIO_RUNNERS: Record<ScenarioName, Scenario> = {
  capacity: runCapacity,
  limits: runLimits,
  faults: runFaults,
  reassign: runReassign,
  scale: runScale,
  broadcast: runBroadcast,
  galera: runGalera,
  'agency-scale': runAgencyScale,
  instances: runInstances,
}

/** `npm run bench`: runs the chosen scenarios against the service as a child process; see bench/README.md. */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const server = BenchServer.fromEnvironment()
  const timestamp = new Date().toISOString().replace(/[:.]/g, '-')
  mkdirSync(RESULTS_DIR, { recursive: true })
  console.log(`topicdesk bench · ${cpus().length} cores · ${options.customers} customers · scenarios ${options.scenarios.join(', ')} · runs ${options.runs}`)
  for (const name of options.scenarios) {
    const runs: ScenarioResult[] = []
    for (let run = 1; run <= options.runs; run++) {
      const label = options.runs > 1 ? `${name}-run${run}` : name
      const customers = name === 'reassign' && !options.customersGiven ? REASSIGN_CUSTOMERS : name === 'galera' ? galeraCustomers(options) : name === 'instances' ? instancesCustomers(options) : options.customers
      const setup =
        name === 'scale'
          ? `seeding ${options.projects} projects × 3 CR teams × up to ${options.customersPerTeam} customers`
          : name === 'agency-scale'
            ? 'seeding the agency'
            : `onboarding ${customers} customers`
      console.log(`\n… ${label}: setting up and ${setup}`)
      const started = Date.now()
      runs.push(await SCENARIO_RUNNERS[name]({ server, options, logPath: (l) => join(RESULTS_DIR, `${timestamp}-${l}${options.runs > 1 ? `-run${run}` : ''}.service.log`) }))
      console.log(`… ${label} done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
    }
    console.log(`\n${renderScenario(runs)}`)
    console.log(`results: ${writeResults(timestamp, runs)}`)
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('bench failed:', error)
    process.exit(1)
  },
)
