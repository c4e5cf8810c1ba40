import { Server, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Simulator } from '../src/simulator/index.js'

const SEND_METHOD = /^(send|copy|forward)/i

/**
 * Watches the simulator's HTTP traffic from outside the service: when each bot last polled,
 * when each update was first handed to the bot (the getUpdates response), and how many send
 * calls are open right now. The simulator has no hook for this yet, so the tap listens on its
 * HTTP server (a private field) and reads getUpdates bodies as they are written.
 */
export class SimulatorTap {
  private readonly lastPollAt = new Map<string, number>()
  private readonly handedAt = new Map<string, Map<number, number>>()
  private openSends = 0

  constructor(sim: Simulator) {
    const server: unknown = Reflect.get(sim, 'server')
    if (!(server instanceof Server)) throw new Error('simulator tap: the simulator has no HTTP server field to observe')
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.observe(req, res))
  }

  /** True when every token polled (getUpdates) at or after `sinceMs`. */
  allPolledSince(tokens: string[], sinceMs: number): boolean {
    return tokens.every((t) => (this.lastPollAt.get(t) ?? 0) >= sinceMs)
  }

  /** First time each update of this bot was handed out (ms), for updates handed within [fromMs, toMs]. */
  handedBetween(token: string, fromMs: number, toMs: number): Map<number, number> {
    const all = this.handedAt.get(token) ?? new Map<number, number>()
    return new Map([...all].filter(([, at]) => at >= fromMs && at <= toMs))
  }

  /** Send/copy/forward calls received and not answered yet. */
  get sendsInFlight(): number {
    return this.openSends
  }

  private observe(req: IncomingMessage, res: ServerResponse): void {
    const route = /^\/bot([^/]+)\/([A-Za-z0-9_]+)/.exec(req.url ?? '')
    if (!route) return
    const token = route[1] ?? ''
    const method = route[2] ?? ''
    if (method.toLowerCase() === 'getupdates') {
      this.lastPollAt.set(token, Date.now())
      this.captureHandedUpdates(token, res)
    } else if (SEND_METHOD.test(method)) {
      this.openSends++
      res.once('close', () => this.openSends--)
    }
  }

  private captureHandedUpdates(token: string, res: ServerResponse): void {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
    const wrapped = (...args: unknown[]) => {
      const body = args[0]
      if (typeof body === 'string' || Buffer.isBuffer(body)) this.recordHanded(token, String(body))
      return end(...args)
    }
    res.end = wrapped as ServerResponse['end']
  }

  private recordHanded(token: string, body: string): void {
    const at = Date.now()
    let parsed: { ok?: boolean; result?: Array<{ update_id: number }> }
    try {
      parsed = JSON.parse(body) as typeof parsed
    } catch {
      return
    }
    if (!parsed.ok || !Array.isArray(parsed.result)) return
    let seen = this.handedAt.get(token)
    if (!seen) this.handedAt.set(token, (seen = new Map<number, number>()))
    for (const update of parsed.result) if (!seen.has(update.update_id)) seen.set(update.update_id, at)
  }
}
