import type { ScenarioContext, ScenarioResult } from '../scenario.js'
export async function runLimits(_ctx: ScenarioContext): Promise<ScenarioResult> { throw new Error('todo') }
