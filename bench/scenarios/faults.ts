import type { FaultOptions } from '../../src/simulator/index.js'
import { measurePhase } from '../phase.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { sleep } from '../stats.js'
import { TrafficGenerator } from '../traffic.js'

const FAULTS: FaultOptions = { serverErrorRate: 0.05, dropRate: 0.02 }
const OFFERED_PER_SECOND = 50
/** Moments of the traffic window (fractions of it) when each fault starts. */
const TIMELINE = { faults: 0.02, storm: 0.1, kills: [0.2, 0.45, 0.7], databaseRestart: 0.85 }
/** A SIGKILLed worker's claimed rows wait for their lease (60 s) before another takes them. */
const OUTBOX_DRAIN_TIMEOUT_MS = 180_000
const DROPPED_AFTER_SEND = /^(send\w*|copyMessage|forwardMessage) bot=\d+ -> connection dropped \(after/i

/**
 * Faults while clients write: 5% 5xx and 2% dropped connections, a storm of fifty 429s, three
 * SIGKILLs of the service (restarted at once) and one MariaDB restart; then quiescence, and the
 * witness counts lost, duplicated and out-of-order copies.
 */
export async function runFaults(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options } = ctx
  let droppedAfterSend = 0
  const stage = await Stage.open(ctx.server, {
    label: 'faults',
    customers: options.customers,
    csBots: 1,
    service: { workersPerClass: options.workers, budgets: false },
    simulator: { log: (line) => void (DROPPED_AFTER_SEND.test(line) && droppedAfterSend++) },
    logPath: ctx.logPath('faults'),
  })
  // Like a process supervisor: a service that dies on its own is started again (and counted).
  let supervising = true
  let restartingOnPurpose = false
  const supervisorRestarts: number[] = []
  const supervisor = (async () => {
    while (supervising) {
      if (!restartingOnPurpose && !stage.service.running) supervisorRestarts.push(await stage.service.start().catch(() => -1))
      await sleep(500)
    }
  })()
  try {
    const messages = options.messages ?? OFFERED_PER_SECOND * 60
    const windowMs = (messages / OFFERED_PER_SECOND) * 1000
    const traffic = new TrafficGenerator(stage.sim, stage.world.bots.client.id, stage.onboarded)
    const phase = await measurePhase(stage, ctx.server, traffic, {
      name: 'faults',
      messages,
      rate: OFFERED_PER_SECOND,
      countQueries: false,
      quietMs: 90_000,
      timeoutMs: 300_000,
      during: async (startedAt) => {
        const at = (fraction: number) => sleep(Math.max(0, startedAt + fraction * windowMs - Date.now()))
        const kills: Array<{ at: number; sendsInFlight: number; rowsSending: number; restartMs: number }> = []
        await at(TIMELINE.faults)
        stage.sim.setFaults(FAULTS)
        await at(TIMELINE.storm)
        stage.sim.failNext({ method: 'sendMessage', times: 50, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } })
        for (const fraction of TIMELINE.kills) {
          await at(fraction)
          restartingOnPurpose = true
          const rowsSending = await stage.database.outboxSending().catch(() => -1)
          const sendsInFlight = stage.tap.sendsInFlight
          await stage.service.kill()
          const killedAt = Date.now() - startedAt
          const restartMs = await stage.service.start()
          restartingOnPurpose = false
          kills.push({ at: killedAt, sendsInFlight, rowsSending, restartMs })
        }
        await at(TIMELINE.databaseRestart)
        const dbStarted = Date.now()
        await ctx.server.restart()
        return { kills, databaseRestart: { at: dbStarted - startedAt, ms: Date.now() - dbStarted } }
      },
      afterSettle: () => waitForEmptyOutbox(stage),
    })
    const kills = (phase.detail.kills ?? []) as Array<{ sendsInFlight: number; rowsSending: number }>
    const inFlight = kills.reduce((sum, k) => sum + k.sendsInFlight, 0)
    const claimed = kills.reduce((sum, k) => sum + Math.max(0, k.rowsSending), 0)
    phase.metrics['sends open at kills (HTTP)'] = inFlight
    phase.metrics['rows claimed at kills (outbox sending)'] = claimed
    phase.metrics['sends dropped after taking effect'] = droppedAfterSend
    phase.metrics['duplicate allowance'] = claimed + droppedAfterSend
    phase.metrics['supervisor restarts'] = supervisorRestarts.length
    phase.detail.supervisorRestarts = supervisorRestarts
    phase.detail.unexpectedExits = stage.service.unexpectedExits
    phase.detail.outboxAtEnd = await stage.database.outboxStates()
    return {
      scenario: 'faults',
      summary: stageSummary(stage),
      phases: [phase],
      notes: [
        `Faults ${JSON.stringify(FAULTS)} from ${TIMELINE.faults * 100}% of the traffic window on (kept on until the end); 50 × 429 (retry after 1) at ${TIMELINE.storm * 100}%; SIGKILL + restart at ${TIMELINE.kills.map((k) => `${k * 100}%`).join(', ')}; MariaDB restart at ${TIMELINE.databaseRestart * 100}%.`,
        'Targets: 0 lost, 0 out of order, duplicates ≤ allowance = outbox rows claimed (state sending, read just before each kill: an upper bound of sends in flight) + sends whose connection the simulator dropped after they took effect.',
        'The 429 storm is forced with failNext: it does not show in "429 answers" (the simulator counts only its rate limiter there).',
        'DB queries are not counted here: the MariaDB restart resets its counters.',
      ],
    }
  } finally {
    supervising = false
    await supervisor
    await stage.close()
  }
}

/** Quiescence: no outbox row left pending or sending (a killed worker's rows wait out their lease). */
async function waitForEmptyOutbox(stage: Stage): Promise<void> {
  const deadline = Date.now() + OUTBOX_DRAIN_TIMEOUT_MS
  while (Date.now() < deadline) {
    const states = await stage.database.outboxStates().catch((): Record<string, number> => ({}))
    if (!states.pending && !states.sending) return
    await sleep(1000)
  }
}
