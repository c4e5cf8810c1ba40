import type { ScenarioContext, ScenarioResult } from '../scenario.js'
export async function runFaults(_ctx: ScenarioContext): Promise<ScenarioResult> { throw new Error('todo') }
