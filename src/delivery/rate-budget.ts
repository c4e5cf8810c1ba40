/** Telegram's per-bot send budgets (see shared/telegram-facts.md). */
export interface RateBudgetOptions {
  /** Sustained messages per second into one private chat. */
  privatePerSecond: number
  /** Short burst allowed into one private chat. */
  privateBurst: number
  /** Messages per minute into one group (a forum's topics share it). */
  groupPerMinute: number
  /** Messages per second per bot overall. */
  globalPerSecond: number
}

interface Window {
  limit: number
  /** The configured limit; a 429 lowers `limit` for a while, then it comes back to this. */
  baseLimit: number
  restoreAt: number
  spanMs: number
  stamps: number[]
  /** Nothing may be sent before this time (set by a 429's retry_after). */
  blockedUntil: number
}

/** How long a 429's lowered budget lasts before the configured one applies again. */
const PENALTY_MS = 10 * 60_000

/**
 * Plans sends within each bot's budgets so steady traffic meets no 429 at all: sliding windows
 * per bot × chat and per bot. `delayFor` says how long a send must wait; `commit` records it.
 * A 429 that still arrives blocks that chat until `retry_after` and shrinks its budget.
 */
export class RateBudget {
  private readonly windows = new Map<string, Window>()

  constructor(private readonly options: RateBudgetOptions) {}

  /**
   * Milliseconds until this bot may post `messages` messages into this chat (0 = now). Each
   * album item and each part of a split text is one message; a job needs room for all of them
   * (one larger than a whole budget waits for an empty window).
   */
  delayFor(botId: number, chatId: number, now = Date.now(), messages = 1): number {
    return Math.max(this.wait(this.chatWindow(botId, chatId), now, messages), this.wait(this.globalWindow(botId), now, messages))
  }

  commit(botId: number, chatId: number, now = Date.now(), messages = 1): void {
    for (let i = 0; i < messages; i++) {
      this.chatWindow(botId, chatId).stamps.push(now)
      this.globalWindow(botId).stamps.push(now)
    }
  }

  /**
   * Telegram said 429 anyway. A wait of a second or so comes from the per-second limits: pause
   * the bot. A longer one means the chat's budget is smaller than planned: pause that chat and
   * send less into it for a while (not for ever: budgets recover).
   */
  penalize(botId: number, chatId: number, retryAfterSeconds: number, now = Date.now()): void {
    const until = now + retryAfterSeconds * 1000
    if (retryAfterSeconds <= 1) {
      const global = this.globalWindow(botId)
      global.blockedUntil = Math.max(global.blockedUntil, until)
      return
    }
    const window = this.chatWindow(botId, chatId)
    window.blockedUntil = Math.max(window.blockedUntil, until)
    window.limit = Math.max(Math.ceil(window.baseLimit / 2), Math.floor(window.limit * 0.8))
    window.restoreAt = now + PENALTY_MS
  }

  prune(now = Date.now()): void {
    for (const [key, window] of this.windows) {
      if (window.blockedUntil < now && window.limit === window.baseLimit && window.stamps.every((stamp) => stamp <= now - window.spanMs)) this.windows.delete(key)
    }
  }

  private wait(window: Window, now: number, messages: number): number {
    if (window.limit < window.baseLimit && now >= window.restoreAt) window.limit = window.baseLimit
    while (window.stamps.length && window.stamps[0]! <= now - window.spanMs) window.stamps.shift()
    const blocked = Math.max(0, window.blockedUntil - now)
    const need = Math.min(messages, window.limit)
    if (window.stamps.length + need <= window.limit) return blocked
    // A margin, because Telegram counts a send when it arrives, a little after we plan it.
    const oldest = window.stamps[window.stamps.length - 1 - window.limit + need]!
    const margin = Math.max(250, window.spanMs * 0.02)
    return Math.max(blocked, oldest + window.spanMs + margin - now)
  }

  private chatWindow(botId: number, chatId: number): Window {
    const key = `${botId}:${chatId}`
    let window = this.windows.get(key)
    if (!window) {
      const group = chatId < 0
      window = group ? newWindow(this.options.groupPerMinute, 60_000) : newWindow(this.options.privateBurst, (this.options.privateBurst / this.options.privatePerSecond) * 1000)
      this.windows.set(key, window)
    }
    return window
  }

  private globalWindow(botId: number): Window {
    const key = `${botId}:*`
    let window = this.windows.get(key)
    if (!window) {
      window = newWindow(this.options.globalPerSecond, 1000)
      this.windows.set(key, window)
    }
    return window
  }
}

function newWindow(limit: number, spanMs: number): Window {
  return { limit, baseLimit: limit, restoreAt: 0, spanMs, stamps: [], blockedUntil: 0 }
}
