import type { Simulator } from '../simulator/index.js'
import type { SampleWorld } from './sample-world.js'
import type { Transcript } from './transcript.js'

/** What a chapter of the demo plays on: the simulator, Acme's world after the main story (Zoe in CR South), the transcript. */
export interface AcmeStage {
  sim: Simulator
  world: SampleWorld
  transcript: Transcript
}

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
