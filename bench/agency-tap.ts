import { Server, type IncomingMessage } from 'node:http'
import type { Simulator } from '../src/simulator/index.js'

/** What a start makes besides polling: identity, webhook removal, command menus, descriptions, members. */
const START_METHODS = /^(getMe|deleteWebhook|getMyCommands|setMyCommands|getChatMember|getMyDescription|setMyDescription|getMyShortDescription|setMyShortDescription)$/
/**
 * The command-menu and description sync (it runs in the background after the service is up). Its
 * getChatMember calls (is a lead in the group?) are not told apart from the start-up doctor's and
 * the membership sweep's, so the sync's end is its last menu or description call.
 */
const PROFILE_METHODS = /^(getMyCommands|setMyCommands|getMyDescription|setMyDescription|getMyShortDescription|setMyShortDescription)$/

/**
 * Start-up calls seen on the simulator's HTTP server, per bot token and method, with their times:
 * how many of each a start made, how fast one bot called (Telegram's per-bot limits), and when
 * the last command-menu call came (the background profile sync's end).
 */
export class StartupTap {
  private readonly calls: Array<{ at: number; token: string; method: string }> = []

  constructor(sim: Simulator) {
    const server: unknown = Reflect.get(sim, 'server')
    if (!(server instanceof Server)) throw new Error('start-up tap: the simulator has no HTTP server field to observe')
    server.prependListener('request', (req: IncomingMessage) => {
      const route = /^\/bot([^/]+)\/([A-Za-z0-9_]+)/.exec(req.url ?? '')
      if (route && START_METHODS.test(route[2] ?? '')) this.calls.push({ at: Date.now(), token: route[1] ?? '', method: route[2] ?? '' })
    })
  }

  /** Calls by method since `fromMs`. */
  countsSince(fromMs: number): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const call of this.calls) if (call.at >= fromMs) counts[call.method] = (counts[call.method] ?? 0) + 1
    return counts
  }

  /** The most start-up calls one bot made within any one second since `fromMs`. */
  maxPerBotPerSecond(fromMs: number): number {
    const byToken = new Map<string, number[]>()
    for (const call of this.calls) if (call.at >= fromMs) byToken.set(call.token, [...(byToken.get(call.token) ?? []), call.at])
    let max = 0
    for (const times of byToken.values()) {
      let start = 0
      for (let end = 0; end < times.length; end++) {
        while (times[end]! - times[start]! >= 1000) start++
        max = Math.max(max, end - start + 1)
      }
    }
    return max
  }

  /** When the last profile call since `fromMs` came (undefined: none). */
  lastProfileCallAt(fromMs: number): number | undefined {
    const last = this.calls.filter((c) => c.at >= fromMs && PROFILE_METHODS.test(c.method)).at(-1)
    return last?.at
  }

  /** Waits until no profile call came for `quietMs` (the background sync ended); returns the last call's time. */
  async profileSyncEnd(fromMs: number, quietMs: number, timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const last = this.lastProfileCallAt(fromMs)
      if ((last !== undefined && Date.now() - last >= quietMs) || Date.now() > deadline) return last
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}
