import { basename, join } from 'node:path'
import { eq } from 'drizzle-orm'
import pino from 'pino'
import { expect } from 'vitest'
import { startApp, type App, type StartOptions } from '../../src/app.js'
import { createConfig, type Config } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'
import type { QueryLogger } from '../../src/db/client.js'
import { accounts, projects } from '../../src/db/schema/index.js'
import { createSampleWorld, createSecondBrand, sampleConfig, type SampleWorld, type SecondBrand } from '../../src/demo/sample-world.js'
import { createLogger, type Logger } from '../../src/logger.js'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js'
import { createTestDatabase, type TestDatabase } from './database.js'
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../../src/simulator/openai/index.js'
import { assistantConfig } from './assistant.js'
import { RecentLog, runningLogs } from './recent-log.js'

type ProjectInput = ConfigInput['projects'][number]

export interface Harness {
  sim: Simulator
  app: App
  world: SampleWorld
  config: Config
  database: TestDatabase
  projectId: number
  /** The second project ("beta") in the same service and database, with `secondBrand: true`. */
  beta?: SecondBrand & { projectId: number }
  /** The fake OpenAI-compatible provider, when the test asked for one (`openai`). */
  openai?: FakeOpenAI
  stop(): Promise<void>
}

/** The whole service against a fresh simulator and a fresh database, with the sample world. */
export interface HarnessOptions {
  simulator?: SimulatorOptions
  config?: Partial<ConfigInput>
  project?: Partial<ProjectInput>
  /** Options of `startApp` (a config source for /reload, say). */
  start?: Omit<StartOptions, 'migrate'>
  prepare?: (sim: Simulator, world: SampleWorld) => { projects?: ConfigInput['projects']; agents?: ConfigInput['agents']; operators?: ConfigInput['operators'] } | void
  /** Runs a second project ("beta", see `createSecondBrand`) in the same app and database. */
  secondBrand?: boolean
  /** Adjusts the second project as `project` adjusts the first. */
  betaProject?: Partial<ProjectInput>
  /** Sees every statement the service sends (test/support/query-recorder.ts). */
  queryLogger?: QueryLogger
  /** The service's logger (a captured one, say); by default one at the config's level on stdout. */
  logger?: Logger
  /**
   * Starts a fake OpenAI-compatible provider (`src/simulator/openai`) and makes it the
   * deployment's `assistant` (`assistantConfig`), unless `config.assistant` is given.
   */
  openai?: (FakeOpenAIOptions & { assistant?: Parameters<typeof assistantConfig>[1] }) | true
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  // Each harness's log goes to a file (TOPICDESK_TEST_LOG_DIR) or is kept in memory and printed when a test fails.
  const logFile = testLogFile() ?? new RecentLog()
  if (logFile instanceof RecentLog) runningLogs.add(logFile)
  const simulatorLog = (line: string) => logFile.write(`${JSON.stringify({ time: Date.now(), sim: line })}\n`)
  const sim = await startSimulator(options.simulator?.log ? options.simulator : { ...options.simulator, log: simulatorLog })
  const database = await createTestDatabase()
  const openai = options.openai ? await startFakeOpenAI(options.openai === true ? {} : options.openai) : undefined
  const world = createSampleWorld(sim)
  // Changes to the sample world (extra bots, pools, more projects) before the config is built from it.
  const prepared = options.prepare?.(sim, world) ?? {}
  const beta = options.secondBrand ? createSecondBrand(sim, world) : undefined
  const base = sampleConfig(sim, world, database.url, { log: { level: (process.env.TOPICDESK_TEST_LOG as 'info') ?? 'silent' } })
  const override = options.config ?? {}
  const config = createConfig({
    ...base,
    ...override,
    // `project` adjusts the sample project; `prepare` may add projects of its own.
    projects: override.projects ?? [
      ...base.projects.map((project) => ({ ...project, ...options.project })),
      ...(prepared.projects ?? []),
      ...(beta ? [{ ...beta.project, ...options.betaProject }] : []),
    ],
    // At rest a service costs what it polls (the whole suite runs ~6 of them at once): a long poll
    // of 10 s, not 1 s, per bot (the simulator answers at once when an update arrives, and stop
    // aborts it), and the outbox's look for rows queued elsewhere every 250 ms (the default), not
    // 50: rows this service queues wake its workers at once. 20 statements a second less each.
    telegram: { ...base.telegram, pollTimeoutSeconds: 10, ...override.telegram },
    // An album's parts are separate updates, and its copy waits this long for the rest: on a
    // loaded machine 300 ms split albums in tests that pass alone, so tests wait longer.
    delivery: { ...base.delivery, albumWindowMs: 1000, pollIntervalMs: 250, ...override.delivery },
    agents: override.agents ?? prepared.agents,
    operators: override.operators ?? prepared.operators,
    assistant: override.assistant ?? (openai ? assistantConfig(openai, options.openai === true ? {} : options.openai?.assistant) : undefined),
  })
  const app = await startApp(config, options.logger ?? serviceLogger(config.log.level, logFile), { ...options.start, migrate: false, queryLogger: options.queryLogger })
  const projectId = await importSampleAccounts(database, world)
  const harness: Harness = {
    sim,
    app,
    world,
    config,
    database,
    projectId,
    beta: beta ? { ...beta, projectId: await importSampleAccounts(database, beta) } : undefined,
    openai,
    async stop() {
      try {
        await harness.app.stop()
        await openai?.close()
        await sim.close()
        await database.close()
      } finally {
        if (logFile instanceof RecentLog) runningLogs.delete(logFile)
      }
    },
  }
  return harness
}

/**
 * With TOPICDESK_TEST_LOG_DIR set, the service's log (debug level) and the simulator's calls go to
 * a file per harness named after the test file, to read after a run that failed.
 */
function testLogFile() {
  const dir = process.env.TOPICDESK_TEST_LOG_DIR
  if (!dir) return undefined
  const file = `${basename(expect.getState().testPath ?? 'unknown')}.${process.pid}.${Date.now()}.log`
  return pino.destination({ dest: join(dir, file), mkdir: true, sync: true })
}

/** The service's logger: TOPICDESK_TEST_LOG's level on stdout when set, else debug to the log file or the in-memory log. */
function serviceLogger(level: string, log: RecentLog | ReturnType<typeof pino.destination>): Logger {
  if (process.env.TOPICDESK_TEST_LOG) return createLogger(level)
  if (log instanceof RecentLog) return createLogger('debug', { destination: log })
  return createLogger('debug', { destination: log })
}

/** Imports a sample project's accounts (as the accounts import would) and returns the project id. */
export async function importSampleAccounts(database: Pick<TestDatabase, 'db'>, world: Pick<SampleWorld, 'project' | 'accounts'>): Promise<number> {
  const [project] = await database.db.select().from(projects).where(eq(projects.key, world.project.key))
  const projectId = project!.id
  await database.db
    .insert(accounts)
    .values(world.accounts.map((a) => ({ projectId, email: a.email, displayName: a.name, externalId: a.accountId, crTeamHint: a.crTeam, treatment: a.treatment })))
  return projectId
}
