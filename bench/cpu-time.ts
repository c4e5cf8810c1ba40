import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { processTree } from './process-tree.js'

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** User + system CPU seconds a process has used so far (0 when it is gone). */
function cpuSecondsOfPid(pid: number): number {
  const stat = readOrEmpty(`/proc/${pid}/stat`)
  if (!stat) return 0
  // Fields after the command's closing ')': state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/** Busy CPU seconds of the whole machine (all cores, every process), from /proc/stat. */
function machineBusySeconds(): number {
  const [cpu] = readOrEmpty('/proc/stat').split('\n')
  const ticks = (cpu ?? '').split(/\s+/).slice(1).map(Number)
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
  return (ticks.reduce((sum, t) => sum + (Number.isFinite(t) ? t : 0), 0) - idle) / TICKS_PER_SECOND
}

function mariadbPid(): number | undefined {
  const home = process.env.TOPICDESK_DB_HOME
  const pid = home ? Number(readOrEmpty(join(home, 'mariadbd.pid')).trim()) : NaN
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

export interface CpuSample {
  at: number
  service: number
  driver: number
  mariadb: number
  machine: number
}

/** CPU seconds so far of the service (its process tree), this process (driver + simulator), mariadbd and the machine. */
export function sampleCpu(servicePid: number | undefined): CpuSample {
  const service = servicePid ? processTree(servicePid).reduce((sum, pid) => sum + cpuSecondsOfPid(pid), 0) : 0
  const own = process.cpuUsage()
  const db = mariadbPid()
  return { at: Date.now(), service, driver: (own.user + own.system) / 1e6, mariadb: db ? cpuSecondsOfPid(db) : 0, machine: machineBusySeconds() }
}

/**
 * Where the CPU went between two samples, in % of one core (the machine has `cores` × 100 %):
 * the service, the bench's own process (traffic driver and simulator), mariadbd, and everything
 * else on the machine. A phase whose service got less than it could while the machine was full
 * was slowed by its neighbours, not by the service.
 */
export function cpuBetween(before: CpuSample, after: CpuSample): Record<string, number> {
  const wall = Math.max(0.001, (after.at - before.at) / 1000)
  const pct = (a: number, b: number) => Math.round(((b - a) / wall) * 100)
  const service = pct(before.service, after.service)
  const driver = pct(before.driver, after.driver)
  const mariadb = pct(before.mariadb, after.mariadb)
  const machine = pct(before.machine, after.machine)
  return {
    'CPU % service': service,
    'CPU % simulator+driver': driver,
    'CPU % mariadbd': mariadb,
    'CPU % other processes': Math.max(0, machine - service - driver - mariadb),
    'CPU % machine (of N×100)': machine,
  }
}

/** One line saying what held a phase's throughput back, from its CPU figures. */
export function cpuVerdict(phase: string, cpu: Record<string, number>): string {
  const capacity = cpus().length * 100
  const machine = cpu['CPU % machine (of N×100)'] ?? 0
  const service = cpu['CPU % service'] ?? 0
  const serving = service + (cpu['CPU % mariadbd'] ?? 0)
  const competing = (cpu['CPU % simulator+driver'] ?? 0) + (cpu['CPU % other processes'] ?? 0)
  const full = machine >= capacity * 0.9
  const share = (n: number) => `${n}%`
  const figures = `service ${share(service)}, mariadbd ${share(cpu['CPU % mariadbd'] ?? 0)}, simulator+driver ${share(cpu['CPU % simulator+driver'] ?? 0)}, other processes ${share(cpu['CPU % other processes'] ?? 0)} of ${capacity}%`
  if (!full) return `${phase}: CPU not saturated (${figures}): a lower throughput here is the service waiting (I/O, locks, its own pacing), not CPU competition.`
  if (competing >= serving)
    return `${phase}: CPU saturated and the simulator, driver and other processes took as much as the service and its database (${figures}): a throughput drop here is competition for the cores, not the service.`
  return `${phase}: CPU saturated, most of it by the service and its database (${figures}): the service is the bottleneck.`
}
