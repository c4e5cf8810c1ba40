import type { Simulator } from '../simulator/index.js'
import type { Transcript } from './transcript.js'

/** How long the demo waits for an outcome before giving up (a loaded machine is slow). */
export const DEMO_PATIENCE = { timeoutMs: 30_000 }

/** Waits for a probe of the simulator; when it gives up, the error names what it waited for. */
export function demoWaitFor(sim: Simulator) {
  return <T>(probe: () => T | undefined | false | null, what: string) => sim.waitFor(probe, { ...DEMO_PATIENCE, message: `demo: ${what}` })
}

/** One step of the transcript: its title, the act, then every outcome awaited before the step's lines are printed. */
export function demoStep(transcript: Transcript) {
  return async (title: string, act: () => unknown, ...outcomes: Array<() => Promise<unknown>>) => {
    transcript.step(title)
    await act()
    for (const outcome of outcomes) await outcome()
    transcript.flush()
  }
}
