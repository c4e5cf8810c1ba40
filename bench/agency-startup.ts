import type { Stage } from './stage.js'
import type { AgencyWorld } from './agency-world.js'
import type { StartupTap } from './agency-tap.js'

/**
 * Telegram's answer time for the calls a start makes (getMe, deleteWebhook, command menus,
 * members): the simulator answers in microseconds, a real Bot API server in tens of ms, which is
 * what makes 400 bots' start-up calls one after another slow.
 */
export const STARTUP_API_LATENCY_MS = 50
const STARTUP_METHODS = [
  'getMe',
  'deleteWebhook',
  'getMyCommands',
  'setMyCommands',
  'getChatMember',
  'getMyDescription',
  'setMyDescription',
  'getMyShortDescription',
  'setMyShortDescription',
]
/** Telegram's per-bot limits, as the simulator enforces them (rate-limiter.ts defaults). */
const TELEGRAM_LIMITS = {}

export interface StartupFigures {
  /** Spawn → every bot polled the simulator. */
  readyS: number
  /** Spawn → the last command-menu call of the background profile sync. */
  profileSyncS: number | undefined
  calls: Record<string, number>
  maxCallsPerBotPerSecond: number
  e429: number
}

/** Simulator options for a start: start-up calls answered after STARTUP_API_LATENCY_MS, Telegram's per-bot limits enforced. */
export const TELEGRAM_LIKE_START = {
  latency: { methods: Object.fromEntries(STARTUP_METHODS.map((m) => [m, STARTUP_API_LATENCY_MS])) },
  rateLimits: TELEGRAM_LIMITS,
}

/** Switches the simulator to answer like Telegram for a start (on) or to answer at once, without limits, for the traffic (off). */
export function telegramLikeStartup(stage: Stage<AgencyWorld>, on: boolean): void {
  stage.sim.setLatency(on ? TELEGRAM_LIKE_START.latency : false)
  stage.sim.setRateLimits(on ? TELEGRAM_LIKE_START.rateLimits : false)
}

/** A restart timed to ready and to the end of the profile sync. */
export async function measureRestart(stage: Stage<AgencyWorld>, tap: StartupTap): Promise<StartupFigures> {
  const from = Date.now()
  const limitedBefore = stage.sim.stats().rateLimited
  return startupFigures(stage, tap, from, await stage.restartService(), limitedBefore)
}

/** Figures of a start that began at `from` and was ready after `readyMs`, once its profile sync went quiet. */
export async function startupFigures(stage: Stage<AgencyWorld>, tap: StartupTap, from: number, readyMs: number, limitedBefore = 0): Promise<StartupFigures> {
  const last = await tap.profileSyncEnd(from, 3000, 300_000)
  return {
    readyS: readyMs / 1000,
    profileSyncS: last === undefined ? undefined : (last - from) / 1000,
    calls: tap.countsSince(from),
    maxCallsPerBotPerSecond: tap.maxPerBotPerSecond(from),
    e429: stage.sim.stats().rateLimited - limitedBefore,
  }
}
