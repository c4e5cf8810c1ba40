import { parseArgs } from 'node:util'

export const SCENARIOS = ['capacity', 'limits', 'faults'] as const
export type ScenarioName = (typeof SCENARIOS)[number]

export interface BenchOptions {
  scenarios: ScenarioName[]
  customers: number
  /** Client messages per measured phase; each scenario picks its own default when absent. */
  messages?: number
  runs: number
  /** Offered rate of the capacity scenario's fixed-rate phase (client messages per second). */
  rate: number
  /** Length of each measured window of the limits scenario. */
  limitsSeconds: number
  /** The service's delivery.workersPerLane (capacity and faults). */
  workers: number
}

const USAGE = 'usage: npm run bench -- [--scenario capacity|limits|faults|all] [--customers N] [--messages N] [--runs N] [--rate N] [--limits-seconds N] [--workers N]'

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'all' },
      customers: { type: 'string', default: '500' },
      messages: { type: 'string' },
      runs: { type: 'string', default: '1' },
      rate: { type: 'string', default: '100' },
      'limits-seconds': { type: 'string', default: '90' },
      workers: { type: 'string', default: '2' },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const scenario = values.scenario
  if (scenario !== 'all' && !(SCENARIOS as readonly string[]).includes(scenario)) throw new Error(`unknown scenario "${scenario}"\n${USAGE}`)
  return {
    scenarios: scenario === 'all' ? [...SCENARIOS] : [scenario as ScenarioName],
    customers: positive('customers', values.customers),
    messages: values.messages === undefined ? undefined : positive('messages', values.messages),
    runs: positive('runs', values.runs),
    rate: positive('rate', values.rate),
    limitsSeconds: positive('limits-seconds', values['limits-seconds']),
    workers: positive('workers', values.workers),
  }
}

function positive(name: string, raw: string): number {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not "${raw}"\n${USAGE}`)
  return n
}
