import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator, type Delivery, type Simulator, type SimulatorOptions } from '../src/simulator/index.js'
import type { BenchDatabase, BenchServer } from './bench-database.js'
import { createBenchWorld, writeServiceConfig, type BenchWorld, type CrTeamKey, type ServiceSettings, type StageWorld } from './bench-world.js'
import { seedBenchCustomers } from './bench-seed.js'
import { onboardCustomers, type CustomerTopics } from './onboarding.js'
import { logEveryStatement } from './profile.js'
import { ServiceProcess } from './service-process.js'
import { SimulatorTap } from './simulator-tap.js'
import { distribution, sleep, type Distribution } from './stats.js'
import type { SentMessage } from './traffic.js'
import { witness, type WitnessReport } from './witness.js'

/** A stage without customers yet: the service is started, the world is the caller's. */
export interface LaunchOptions {
  label: string
  service: ServiceSettings
  simulator?: SimulatorOptions
  logPath: string
  /** `--profile`: the service's CPU profile goes here, and MariaDB is told to time every statement. */
  cpuProfileDir?: string
}

export interface StageOptions extends LaunchOptions {
  customers: number
  csBots: number
  crBots?: number
  crTeam?: CrTeamKey
  /** Seed the customers into the database and the simulator (`seedBenchCustomers`) instead of onboarding each. */
  seeded?: boolean
}

/**
 * One scenario run's world: a simulator (the witness) with its tap, a fresh database on the
 * benchmark's server, the service as a child process, and N onboarded customers (or, for a
 * world of the caller's, whatever customers the caller seeds).
 */
export class Stage<W extends StageWorld = BenchWorld> {
  private readonly configDir = mkdtempSync(join(tmpdir(), 'topicdesk-bench-'))
  readonly service: ServiceProcess
  onboarded: CustomerTopics[] = []
  onboardingMs = 0
  onboardingRetries = 0
  startupMs = 0

  private constructor(
    readonly sim: Simulator,
    readonly tap: SimulatorTap,
    readonly world: W,
    readonly database: BenchDatabase,
    private settings: ServiceSettings,
    logPath: string,
    cpuProfileDir?: string,
  ) {
    this.service = new ServiceProcess({
      configPath: join(this.configDir, 'topicdesk.json'),
      logPath,
      isReady: (since) => tap.allPolledSince(world.tokens, since),
      cpuProfileDir,
    })
  }

  /** The benchmark's agency with `o.customers` customers taken through the real onboarding flow (or seeded, `o.seeded`). */
  static async open(server: BenchServer, o: StageOptions): Promise<Stage> {
    const stage = await Stage.launch(server, o, (sim) => createBenchWorld(sim, { customers: o.customers, csBots: o.csBots, crBots: o.crBots, crTeam: o.crTeam }))
    const { sim, world, database } = stage
    try {
      const started = Date.now()
      if (o.seeded) {
        stage.onboarded = await seedBenchCustomers(sim, world, database)
      } else {
        await database.insertAccounts(world.project.key, world.customers)
        const onboarding = await onboardCustomers(sim, world)
        stage.onboarded = onboarding.customers
        stage.onboardingRetries = onboarding.retries
      }
      stage.onboardingMs = Date.now() - started
      return stage
    } catch (error) {
      await stage.close()
      throw error
    }
  }

  /** Simulator, tap, a fresh database and the service started for the world `createWorld` builds; no customers. */
  static async launch<W extends StageWorld>(server: BenchServer, o: LaunchOptions, createWorld: (sim: Simulator) => W): Promise<Stage<W>> {
    const sim = await startSimulator(o.simulator)
    const tap = new SimulatorTap(sim)
    const world = createWorld(sim)
    const database = await server.createDatabase(o.label)
    const stage = new Stage(sim, tap, world, database, o.service, o.logPath, o.cpuProfileDir)
    try {
      if (o.cpuProfileDir) await logEveryStatement(server, o.cpuProfileDir)
      stage.writeConfig()
      stage.startupMs = await stage.service.start()
      return stage
    } catch (error) {
      await stage.close()
      throw error
    }
  }

  /** Graceful stop and start, optionally with other settings (e.g. budgets on after onboarding). */
  async restartService(settings?: ServiceSettings): Promise<number> {
    await this.service.stop()
    if (settings) this.settings = settings
    this.writeConfig()
    return this.service.start()
  }

  /** The witness's deliveries from position `from` on (sim.deliveries() is in creation order). */
  deliveriesSince(from: number): Delivery[] {
    return this.sim.deliveries().slice(from)
  }

  /**
   * Waits until every expected copy of `sent` is in the simulator, or nothing new was delivered
   * for `quietMs`, or `timeoutMs` passed; returns the witness's report either way.
   */
  async settle(sent: SentMessage[], from: number, o: { quietMs: number; timeoutMs: number }): Promise<WitnessReport & { settled: boolean }> {
    const deadline = Date.now() + o.timeoutMs
    let lastCount = -1
    let lastChange = Date.now()
    for (;;) {
      const report = witness(this.deliveriesSince(from), sent)
      if (report.lost === 0) return { ...report, settled: true }
      const count = this.sim.stats().sent
      if (count !== lastCount) {
        lastCount = count
        lastChange = Date.now()
      }
      if (Date.now() - lastChange > o.quietMs || Date.now() > deadline) return { ...report, settled: false }
      await sleep(500)
    }
  }

  /**
   * Ingress latency of the client bot's updates handed out within [fromMs, toMs]: the getUpdates
   * response that carried it → the row the service stored (database clock, same host).
   */
  async ingressLatency(fromMs: number, toMs: number): Promise<Distribution & { unmatched: number }> {
    const samples: number[] = []
    let handedCount = 0
    for (const bot of this.world.clientBots) {
      const handed = this.tap.handedBetween(bot.token, fromMs, toMs)
      const stored = await this.database.updateStoredAt(bot.id, [...handed.keys()])
      handedCount += handed.size
      for (const [updateId, at] of handed) {
        const storedAt = stored.get(updateId)
        if (storedAt !== undefined) samples.push(storedAt - at)
      }
    }
    return { ...distribution(samples), unmatched: handedCount - samples.length }
  }

  async close(): Promise<void> {
    await this.service.stop()
    await this.sim.close()
    await this.database.drop().catch(() => undefined)
    rmSync(this.configDir, { recursive: true, force: true })
  }

  private writeConfig(): void {
    writeServiceConfig(join(this.configDir, 'topicdesk.json'), this.sim, this.world, this.database.urls.length > 1 ? this.database.urls : this.database.url, this.settings)
  }
}
