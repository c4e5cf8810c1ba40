import { parseArgs } from 'node:util'

export const SCENARIOS = ['capacity', 'limits', 'faults', 'reassign', 'scale', 'broadcast', 'galera', 'agency-scale', 'instances'] as const
export type ScenarioName = (typeof SCENARIOS)[number]
/** Scenarios `all` leaves out (minutes each, their own figures; run them by name): galera starts a three-node cluster, agency-scale seeds a million customers, instances runs three services. */
const NOT_IN_ALL: readonly ScenarioName[] = ['galera', 'agency-scale', 'instances']

export interface BenchOptions {
  scenarios: ScenarioName[]
  customers: number
  /** False when --customers was left at its default (the reassign scenario then uses its own, 100). */
  customersGiven: boolean
  /** Client messages per measured phase; each scenario picks its own default when absent. */
  messages?: number
  runs: number
  /** Offered rate of capacity's fixed-rate phase and of scale's phases (client messages per second); each has its own default. */
  rate?: number
  /** Length of each measured window of the limits scenario. */
  limitsSeconds: number
  /** The service's delivery.workersPerClass (capacity and faults). */
  workers: number
  /** Reassign: Telegram's per-bot per-group budget, scaled (real Telegram: 20). */
  groupPerMinute: number
  /** Reassign: CR bots in the pool, each an admin of each CR group. */
  crBots: number
  /** Reassign: longest wait for the replay to finish; the total is projected beyond it. */
  reassignSeconds: number
  /** Scale: projects in the one service process. */
  projects: number
  /** Scale: customers per CR team at the large size (3 teams a project). */
  customersPerTeam: number
  /** Scale: customers in all at the small size (spread evenly over the teams). */
  smallCustomers: number
  /** Broadcast: customers the broadcast goes to (seeded, beside the onboarded ones). */
  recipients: number
  /** False when --projects was left at its default (agency-scale then uses its own, 100). */
  projectsGiven: boolean
  /** Agency-scale: customers seeded in all, over every project (1,000,000; --quick 20,000). */
  totalCustomers?: number
  /** Agency-scale: length of the idle window whose database statements are counted (30 s). */
  idleSeconds: number
  /** Agency-scale: the bench MariaDB's InnoDB buffer pool for the run (1024 MB; set at run time). */
  bufferPoolMb: number
  /** Capacity: customers seeded into the database and the simulator instead of onboarded (100,000 is feasible). */
  seeded: boolean
  /** Capacity: a CPU profile of the service and MariaDB's statement times over the max-rate phase. */
  profile: boolean
  /** A quick run while developing: galera a 20 s window and 30 customers; agency-scale 20 projects and 20,000 customers unless given; instances fewer customers and messages. */
  quick: boolean
}

const USAGE =
  'usage: npm run bench -- [--scenario capacity|limits|faults|reassign|scale|broadcast|galera|agency-scale|instances|all] [--customers N] [--messages N] [--runs N] [--rate N] [--limits-seconds N] [--workers N] [--group-per-minute N] [--cr-bots N] [--reassign-seconds N] [--projects N] [--customers-per-team N] [--small-customers N] [--recipients N] [--profile] [--seeded] [--total-customers N] [--quick] [--idle-seconds N] [--buffer-pool-mb N]'

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'all' },
      customers: { type: 'string' },
      messages: { type: 'string' },
      runs: { type: 'string', default: '1' },
      rate: { type: 'string' },
      'limits-seconds': { type: 'string', default: '150' },
      workers: { type: 'string', default: '2' },
      'group-per-minute': { type: 'string', default: '1200' },
      'cr-bots': { type: 'string', default: '3' },
      'reassign-seconds': { type: 'string', default: '600' },
      profile: { type: 'boolean', default: false },
      seeded: { type: 'boolean', default: false },
      projects: { type: 'string' },
      'customers-per-team': { type: 'string', default: '1000' },
      'small-customers': { type: 'string', default: '1000' },
      recipients: { type: 'string', default: '5000' },
      'total-customers': { type: 'string' },
      quick: { type: 'boolean', default: false },
      'idle-seconds': { type: 'string', default: '30' },
      'buffer-pool-mb': { type: 'string', default: '1024' },
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
    scenarios: scenario === 'all' ? SCENARIOS.filter((name) => !NOT_IN_ALL.includes(name)) : [scenario as ScenarioName],
    customers: positive('customers', values.customers ?? '500'),
    customersGiven: values.customers !== undefined,
    messages: values.messages === undefined ? undefined : positive('messages', values.messages),
    runs: positive('runs', values.runs),
    rate: values.rate === undefined ? undefined : positive('rate', values.rate),
    limitsSeconds: positive('limits-seconds', values['limits-seconds']),
    workers: positive('workers', values.workers),
    groupPerMinute: positive('group-per-minute', values['group-per-minute']),
    crBots: positive('cr-bots', values['cr-bots']),
    reassignSeconds: positive('reassign-seconds', values['reassign-seconds']),
    profile: values.profile,
    seeded: values.seeded,
    projects: positive('projects', values.projects ?? '10'),
    customersPerTeam: positive('customers-per-team', values['customers-per-team']),
    recipients: positive('recipients', values.recipients),
    smallCustomers: positive('small-customers', values['small-customers']),
    projectsGiven: values.projects !== undefined,
    totalCustomers: values['total-customers'] === undefined ? undefined : positive('total-customers', values['total-customers']),
    quick: values.quick,
    idleSeconds: positive('idle-seconds', values['idle-seconds']),
    bufferPoolMb: positive('buffer-pool-mb', values['buffer-pool-mb']),
  }
}

function positive(name: string, raw: string): number {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not "${raw}"\n${USAGE}`)
  return n
}
