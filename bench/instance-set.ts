import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, Server, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ConfigInput } from '../src/config/schema.js'
import type { Simulator } from '../src/simulator/index.js'
import { writeServiceConfig, type ServiceSettings, type StageWorld } from './bench-world.js'
import { sampleCpu, type CpuSample } from './cpu-time.js'
import { processTree } from './process-tree.js'
import { ServiceProcess } from './service-process.js'

/** Webhook mode: where the instances listen, and the address Telegram (the simulator) posts to (the balancer). */
export interface WebhookSettings {
  publicUrl: string
  secret: string
}

/** One service process of several on the same database, with its own admin (and webhook) port. */
export class Instance {
  readonly process: ServiceProcess
  private readyAt = 0

  constructor(
    readonly name: string,
    readonly adminPort: number,
    readonly webhookPort: number,
    readonly configPath: string,
    logPath: string,
  ) {
    this.process = new ServiceProcess({ configPath, logPath, isReady: (since) => this.readyAt >= since })
  }

  /** Starts the process and waits until its /readyz answers 200 (a standby instance is ready too). */
  async start(): Promise<number> {
    const poll = setInterval(() => {
      fetch(`http://127.0.0.1:${this.adminPort}/readyz`).then(
        (res) => void (res.ok && (this.readyAt = Date.now())),
        () => undefined,
      )
    }, 100)
    try {
      return await this.process.start()
    } finally {
      clearInterval(poll)
    }
  }

  /** The instance's /metrics gauge value for a metric line prefix (`topicdesk_cron_leader`), undefined when absent or unreachable. */
  async gauge(prefix: string): Promise<number | undefined> {
    try {
      const text = await (await fetch(`http://127.0.0.1:${this.adminPort}/metrics`, { signal: AbortSignal.timeout(2000) })).text()
      const line = text.split('\n').find((l) => l.startsWith(prefix) && /[\s{]/.test(l.charAt(prefix.length)))
      return line === undefined ? undefined : Number(line.split(/\s+/).at(-1))
    } catch {
      return undefined
    }
  }
}

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * N instances of the service against one database and one simulator, each with its own config
 * file (admin port; webhook port in webhook mode) and log.
 */
export class InstanceSet {
  private readonly configDir = mkdtempSync(join(tmpdir(), 'topicdesk-instances-'))
  readonly instances: Instance[] = []

  constructor(
    private readonly sim: Simulator,
    private readonly world: StageWorld,
    private readonly databaseUrl: string,
    private readonly logPath: (label: string) => string,
  ) {}

  /** Adds (not starting) `count` instances with these settings; polling unless `webhook` is given. */
  async add(count: number, settings: ServiceSettings, webhook?: WebhookSettings): Promise<Instance[]> {
    const added: Instance[] = []
    for (let i = 0; i < count; i++) {
      const name = `i${this.instances.length + 1}`
      const [adminPort, webhookPort] = [await freePort(), await freePort()]
      const configPath = join(this.configDir, `${name}.json`)
      writeServiceConfig(configPath, this.sim, this.world, this.databaseUrl, settings)
      const config = JSON.parse(readFileSync(configPath, 'utf8')) as ConfigInput
      config.http = { port: adminPort, host: '127.0.0.1' }
      if (webhook) config.telegram = { ...config.telegram, mode: 'webhook', webhook: { ...webhook, host: '127.0.0.1', port: webhookPort } }
      writeFileSync(configPath, JSON.stringify(config, null, 2))
      const instance = new Instance(name, adminPort, webhookPort, configPath, this.logPath(`instances-${name}`))
      this.instances.push(instance)
      added.push(instance)
    }
    return added
  }

  /** Starts them together (so the bots' polling is spread over them); the longest start-up, ms. */
  async start(instances: Instance[] = this.instances): Promise<number> {
    return Math.max(...(await Promise.all(instances.map((i) => i.start()))))
  }

  running(): Instance[] {
    return this.instances.filter((i) => i.process.running)
  }

  /** The instance whose process tree holds the TCP connection with this local port (e.g. the one a getUpdates came in on). */
  ownerOfLocalPort(port: number): Instance | undefined {
    const inodes = socketInodesOfLocalPort(port)
    return this.running().find((instance) => {
      const pid = instance.process.pid
      return pid !== undefined && processTree(pid).some((p) => socketInodesOf(p).some((inode) => inodes.has(inode)))
    })
  }

  /** Graceful stop of every instance; the next `add` starts a new set. */
  async stopAll(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.process.stop()))
    this.instances.length = 0
  }

  /** Every instance stopped and their config files removed. */
  async close(): Promise<void> {
    await this.stopAll()
    rmSync(this.configDir, { recursive: true, force: true })
  }

  /** CPU seconds so far of each running instance (its process tree), with the machine's other figures. */
  sampleCpu(): { perPid: Map<number, number>; rest: CpuSample } {
    const perPid = new Map<number, number>()
    for (const instance of this.running()) if (instance.process.pid) perPid.set(instance.process.pid, sampleCpu(instance.process.pid).service)
    return { perPid, rest: sampleCpu(undefined) }
  }
}

/** The service CPU between two samples summed over instances (a killed one counts until its last sample). */
export function instancesCpuBetween(before: ReturnType<InstanceSet['sampleCpu']>, after: ReturnType<InstanceSet['sampleCpu']>): { before: CpuSample; after: CpuSample } {
  let service = 0
  for (const [pid, seconds] of after.perPid) service += Math.max(0, seconds - (before.perPid.get(pid) ?? 0))
  return { before: { ...before.rest, service: 0 }, after: { ...after.rest, service } }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** Inodes of the TCP sockets whose local port is `port` (/proc/net/tcp and tcp6). */
function socketInodesOfLocalPort(port: number): Set<string> {
  const inodes = new Set<string>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readOrEmpty(file).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const local = fields[1]?.split(':')[1]
      if (local !== undefined && parseInt(local, 16) === port && fields[9]) inodes.add(fields[9])
    }
  }
  return inodes
}

function socketInodesOf(pid: number): string[] {
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return []
  }
  return fds.flatMap((fd) => {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      return match?.[1] ? [match[1]] : []
    } catch {
      return []
    }
  })
}

/**
 * Sees every getUpdates call on the simulator's HTTP server: per token, when it came and the
 * caller's port (which instance polls a bot is the one holding that connection).
 */
export class PollWatcher {
  private readonly polls = new Map<string, Array<{ at: number; port: number }>>()

  constructor(sim: Simulator) {
    const server: unknown = Reflect.get(sim, 'server')
    if (!(server instanceof Server)) throw new Error('poll watcher: the simulator has no HTTP server field to observe')
    server.prependListener('request', (req: IncomingMessage) => {
      const route = /^\/bot([^/]+)\/getUpdates/i.exec(req.url ?? '')
      if (!route?.[1] || req.socket.remotePort === undefined) return
      let list = this.polls.get(route[1])
      if (!list) this.polls.set(route[1], (list = []))
      list.push({ at: Date.now(), port: req.socket.remotePort })
      if (list.length > 1000) list.splice(0, 500)
    })
  }

  last(token: string): { at: number; port: number } | undefined {
    return this.polls.get(token)?.at(-1)
  }

  /** The getUpdates calls for this token at or after `sinceMs`, oldest first. */
  since(token: string, sinceMs: number): Array<{ at: number; port: number }> {
    return (this.polls.get(token) ?? []).filter((p) => p.at >= sinceMs)
  }
}
