import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './paths.js'
import { memoryOf, processTree } from './process-tree.js'
import { sleep } from './stats.js'

export interface ServiceProcessOptions {
  configPath: string
  /** stdout and stderr of every start are appended here. */
  logPath: string
  /** True once every bot of the service has polled the simulator since `sinceMs`. */
  isReady: (sinceMs: number) => boolean
  /** With a directory, node writes a CPU profile of the service there when it exits (`--profile`). */
  cpuProfileDir?: string
}

export interface MemoryPeak {
  /** Peak VmRSS of the node process that runs dist/main.js (sampled every 200 ms). */
  serviceRssKb: number
  /** Peak VmHWM of that process, as the kernel counts it. */
  serviceHwmKb: number
  /** Peak sum of VmRSS over npx → tsx → node. */
  treeRssKb: number
}

const READY_TIMEOUT_MS = 60_000
/**
 * What the image runs (`npm start`, the Dockerfile's CMD): the compiled service, not tsx.
 * `BENCH_SERVICE_ENTRY` runs another build instead (e.g. a baseline compiled to `dist-base/` for an A/B comparison).
 */
const SERVICE_ENTRY = process.env.BENCH_SERVICE_ENTRY ?? 'dist/main.js'

/**
 * The service under test as a child process (`node dist/main.js`, the build that ships: `npm run
 * bench` builds it first) in its own process group,
 * so it can be SIGKILLed whole; samples its memory from /proc while it runs.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined
  private exited: Promise<void> | undefined
  private sampler: NodeJS.Timeout | undefined
  private expectingExit = false
  readonly peak: MemoryPeak = { serviceRssKb: 0, serviceHwmKb: 0, treeRssKb: 0 }
  /** Peak VmRSS of the node process since the last `startWindow()` (e.g. one measured phase). */
  windowPeakRssKb = 0
  /** Exits nobody asked for (crashes), with their exit code or signal. */
  readonly unexpectedExits: string[] = []
  starts = 0
  /** When the last start's process exited (a CPU profile's end). */
  exitedAt: number | undefined

  constructor(private readonly options: ServiceProcessOptions) {}

  async start(): Promise<number> {
    const startedAt = Date.now()
    const env: NodeJS.ProcessEnv = { ...process.env, TOPICDESK_CONFIG: this.options.configPath }
    // These would override the config file and could point the service at another server.
    delete env.DATABASE_URL
    delete env.DATABASE_URLS
    delete env.TELEGRAM_API_ROOT
    const log = openSync(this.options.logPath, 'a')
    if (!existsSync(join(REPO_ROOT, SERVICE_ENTRY))) throw new Error(`${SERVICE_ENTRY} is missing: run the benchmark with \`npm run bench\` (it builds the service first)`)
    const profile = this.options.cpuProfileDir
    // --cpu-prof writes the profile when the process exits (the service ends with process.exit).
    const args = [...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), SERVICE_ENTRY]
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', log, log] })
    closeSync(log)
    this.child = child
    this.expectingExit = false
    this.starts++
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitedAt = Date.now()
        if (!this.expectingExit) this.unexpectedExits.push(`exit ${code ?? signal} at ${new Date().toISOString()}`)
        resolve()
      }),
    )
    this.sampler = setInterval(() => this.sample(), 200)
    const deadline = startedAt + READY_TIMEOUT_MS
    while (!this.options.isReady(startedAt)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited during start-up; see ${this.options.logPath}:\n${this.logTail()}`)
      if (Date.now() > deadline) throw new Error(`the service was not polling within ${READY_TIMEOUT_MS / 1000} s; see ${this.options.logPath}`)
      await sleep(50)
    }
    return Date.now() - startedAt
  }

  /** SIGKILL to the whole process group: no shutdown code runs. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5000)
  }

  /** SIGTERM (graceful shutdown), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 15_000)
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child
    if (!child?.pid || !this.exited || child.exitCode !== null || child.signalCode !== null) return this.stopSampling()
    this.sample()
    this.expectingExit = true
    process.kill(-child.pid, signal)
    const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)])
    if (!done) {
      process.kill(-child.pid, 'SIGKILL')
      await this.exited
    }
    // Grandchildren that outlived their parent would still hold the group.
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // the group is gone
    }
    this.stopSampling()
  }

  /** Starts a new window for `windowPeakRssKb`, after one sample now. */
  startWindow(): void {
    this.sample()
    this.windowPeakRssKb = 0
  }

  private stopSampling(): void {
    if (this.sampler) clearInterval(this.sampler)
    this.sampler = undefined
  }

  private sample(): void {
    const root = this.child?.pid
    if (!root) return
    const tree = processTree(root)
      .map(memoryOf)
      .filter((m) => m !== undefined)
    const service = tree.filter((m) => m.command.includes(SERVICE_ENTRY)).at(-1)
    this.peak.treeRssKb = Math.max(
      this.peak.treeRssKb,
      tree.reduce((sum, m) => sum + m.rssKb, 0),
    )
    if (service) {
      this.peak.serviceRssKb = Math.max(this.peak.serviceRssKb, service.rssKb)
      this.peak.serviceHwmKb = Math.max(this.peak.serviceHwmKb, service.hwmKb)
      this.windowPeakRssKb = Math.max(this.windowPeakRssKb, service.rssKb)
    }
  }

  private logTail(): string {
    try {
      return readFileSync(this.options.logPath, 'utf8').split('\n').slice(-30).join('\n')
    } catch {
      return ''
    }
  }
}
