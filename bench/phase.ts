import type { StageWorld } from './bench-world.js'
import type { Stage } from './stage.js'
import type { TrafficGenerator } from './traffic.js'
import { witness, type WitnessReport } from './witness.js'
import type { BenchServer } from './bench-database.js'
import { cpuBetween, cpuVerdict, sampleCpu } from './cpu-time.js'

/** One measured phase: a flat set of named figures (tables, medians) plus the raw detail for JSON. */
export interface PhaseResult {
  name: string
  metrics: Record<string, number | undefined>
  detail: Record<string, unknown>
}

export interface MeasureOptions {
  name: string
  messages: number
  /** Offered client messages per second; undefined = as fast as possible. */
  rate?: number
  quietMs?: number
  timeoutMs?: number
  /** Runs alongside the traffic (fault injection, kills…). */
  during?: (startedAt: number) => Promise<Record<string, unknown>>
  /** After the copies settled, also wait for this (e.g. the outbox to empty) before the final count. */
  afterSettle?: () => Promise<void>
  /** False when MariaDB restarts during the phase (its counters reset). */
  countQueries?: boolean
}

/**
 * Offers traffic, waits for the copies to settle, and reads every figure from outside the
 * service: the simulator's deliveries, the tap's ingress times, MariaDB's Questions counter.
 */
export async function measurePhase(stage: Stage<StageWorld>, server: BenchServer, traffic: TrafficGenerator, o: MeasureOptions): Promise<PhaseResult> {
  const { sim } = stage
  const from = sim.stats().sent
  const statsBefore = sim.stats()
  const questionsBefore = await server.questions()
  const cpuBefore = sampleCpu(stage.service.pid)
  const startedAt = Date.now()
  const [sent, during] = await Promise.all([traffic.offer(o.messages, o.rate), o.during?.(startedAt) ?? Promise.resolve({})])
  const sendDurationMs = Date.now() - startedAt
  const settled = await stage.settle(sent, from, { quietMs: o.quietMs ?? 15_000, timeoutMs: o.timeoutMs ?? 180_000 })
  const questions = o.countQueries === false ? undefined : (await server.questions()) - questionsBefore
  // Over the traffic and its settling, the quiet tail included (it is idle time for every process).
  const cpu = cpuBetween(cpuBefore, sampleCpu(stage.service.pid))
  await o.afterSettle?.()
  const report = o.afterSettle ? { ...witness(stage.deliveriesSince(from), sent), settled: settled.settled } : settled
  const ingress = await stage.ingressLatency(startedAt, Date.now())
  const statsAfter = sim.stats()
  const rateLimited = statsAfter.rateLimited - statsBefore.rateLimited
  const faults = statsAfter.faults - statsBefore.faults
  return {
    name: o.name,
    metrics: {
      ...witnessMetrics(report),
      'offered msg/s': o.rate ?? Math.round((o.messages / Math.max(1, sendDurationMs)) * 1000),
      'ingress p50 ms': ingress.p50,
      'ingress p99 ms': ingress.p99,
      'DB queries / copy': questions === undefined ? undefined : questions / Math.max(1, report.deliveredCopies),
      'DB queries / message': questions === undefined ? undefined : questions / Math.max(1, report.fullyRelayed),
      '429 answers': rateLimited,
      'injected faults': faults,
      ...cpu,
    },
    detail: {
      offered: { messages: o.messages, rate: o.rate ?? 'max', sendDurationMs },
      witness: report,
      ingress,
      dbQuestions: questions,
      simulatorCalls: diffCalls(statsBefore.calls, statsAfter.calls),
      cpuVerdict: cpuVerdict(o.name, cpu),
      ...during,
    },
  }
}

export function witnessMetrics(report: WitnessReport): Record<string, number | undefined> {
  return {
    messages: report.messages,
    'expected copies': report.expectedCopies,
    'delivered copies': report.deliveredCopies,
    lost: report.lost,
    duplicated: report.duplicated,
    'out of order': report.outOfOrder,
    misrouted: report.misrouted,
    'relayed msg/s': report.messagesPerSecond,
    'copies/s': report.copiesPerSecond,
    'relay p50 ms': report.copyLatencyMs.p50,
    'relay p95 ms': report.copyLatencyMs.p95,
    'relay p99 ms': report.copyLatencyMs.p99,
    'all-copies p99 ms': report.messageLatencyMs.p99,
  }
}

function diffCalls(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
      .filter(([, v]) => v !== 0),
  )
}
