import type { RateLimitOptions } from './types.js'

/**
 * A send with `allow_paid_broadcast` may go out at up to this many messages a second per bot, for a
 * fee (Bot API 7.11, sendMessage's doc comment in @grammyjs/types: "Pass True to allow up to 1000
 * messages per second, ignoring broadcasting limits for a fee of 0.1 Telegram Stars per message";
 * telegram-facts "Paid broadcasts"). A private chat's own limit still applies.
 */
export const PAID_BROADCAST_PER_SECOND = 1000

interface Window {
  max: number
  spanMs: number
}

/**
 * Per-bot flood control with sliding windows: per private chat (burst B within B/rate seconds, so
 * sustained `privatePerSecond`), per group (`groupPerMinute`, all topics together), and global.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>()

  constructor(private readonly options: Required<RateLimitOptions>) {}

  static create(o: RateLimitOptions): RateLimiter {
    return new RateLimiter({
      privatePerSecond: o.privatePerSecond ?? 1,
      privateBurst: o.privateBurst ?? 3,
      groupPerMinute: o.groupPerMinute ?? 20,
      globalPerSecond: o.globalPerSecond ?? 30,
    })
  }

  /**
   * Records a call posting `messages` messages (album items count one each, telegram-facts
   * "Albums") and returns 0, or returns the seconds to wait (≥ 1) without recording. A call
   * needs room for all its messages; one larger than a whole budget needs an empty window.
   * A paid broadcast send counts against the bot's window like any other, with the paid ceiling.
   */
  check(botId: number, chatId: number | undefined, nowMs: number, messages = 1, paidBroadcast = false): number {
    const o = this.options
    const windows: Array<[string, Window]> = [[`${botId}`, { max: paidBroadcast ? PAID_BROADCAST_PER_SECOND : o.globalPerSecond, spanMs: 1000 }]]
    if (chatId !== undefined && chatId < 0) windows.push([`${botId}:${chatId}`, { max: o.groupPerMinute, spanMs: 60_000 }])
    else if (chatId !== undefined) windows.push([`${botId}:${chatId}`, { max: o.privateBurst, spanMs: (o.privateBurst / o.privatePerSecond) * 1000 }])
    let waitMs = 0
    for (const [key, w] of windows) {
      const list = this.recent(key, w.spanMs, nowMs)
      const need = Math.min(messages, w.max)
      if (list.length + need > w.max) {
        const oldest = list[list.length - 1 - w.max + need] ?? nowMs
        waitMs = Math.max(waitMs, oldest + w.spanMs - nowMs)
      }
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000))
    for (const [key] of windows) for (let i = 0; i < messages; i++) this.hits.get(key)?.push(nowMs)
    return 0
  }

  private recent(key: string, spanMs: number, nowMs: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > nowMs - spanMs)
    this.hits.set(key, list)
    return list
  }
}
