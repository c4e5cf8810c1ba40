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

/** One message counted in a window: `at` is the latest time Telegram can have received it. */
export interface WindowEntry {
  at: number
  /** Set while the send is planned but its HTTP call has not answered yet. */
  token?: string
}

/** The slots a plan took: confirmed (with the time the call answered) once the call is made. */
export interface Reservation {
  botId: number
  chatId: number
  token: string
}

/** A bot's windows as stored between processes: chat id (or "*", the bot overall) → entries. */
export type StoredWindows = Record<string, Array<[number, string?]>>

interface Window {
  limit: number
  /** The configured limit; a 429 lowers `limit` for a while, then it comes back to this. */
  baseLimit: number
  restoreAt: number
  spanMs: number
  entries: WindowEntry[]
  /** Nothing may be sent before this time (set by a 429's retry_after). */
  blockedUntil: number
}

/** How long a 429's lowered budget lasts before the configured one applies again. */
const PENALTY_MS = 10 * 60_000
/**
 * A reserved slot counts as arriving this long after it was planned until its call answers (or
 * for ever, to a process that crashed meanwhile: then it ages out like a send at that time).
 */
export const RESERVATION_HOLD_MS = 15_000
/**
 * A send that waits only for this process's sends still in flight is planned again this soon:
 * their calls answer within milliseconds, and then the window counts them when they arrived.
 */
export const IN_FLIGHT_RECHECK_MS = 250
/** Clock jitter between this process and Telegram; arrival itself is covered by confirming at the answer. */
const MARGIN_MS = 100
const GLOBAL = '*'

/**
 * Plans sends within each bot's budgets so steady traffic meets no 429 at all: sliding windows
 * per bot × chat and per bot. `delayFor` says how long a send must wait; `reserve` takes the
 * slots when it is planned and `confirm` moves them to when the call answered (Telegram counts a
 * message when it arrives, which is after planning and before the answer). A 429 that still
 * arrives blocks that chat until `retry_after` and shrinks its budget.
 */
export class RateBudget {
  private readonly windows = new Map<string, Window>()
  private counter = 0
  private readonly instance = Math.random().toString(36).slice(2, 8)

  constructor(readonly options: RateBudgetOptions) {}

  /**
   * Milliseconds until this bot may post `messages` messages into this chat (0 = now). Each
   * album item and each part of a split text is one message; a job needs room for all of them
   * (one larger than a whole budget waits for an empty window). `headroom` slots of the chat's
   * window, and `globalHeadroom` of the bot's, stay free for more urgent sends.
   */
  delayFor(botId: number, chatId: number, now = Date.now(), messages = 1, headroom = 0, globalHeadroom = 0): number {
    return Math.max(this.wait(this.chatWindow(botId, chatId), now, messages, headroom), this.wait(this.globalWindow(botId), now, messages, globalHeadroom))
  }

  /** Takes the slots of a planned send; they count as arriving `RESERVATION_HOLD_MS` from now until confirmed. */
  reserve(botId: number, chatId: number, now = Date.now(), messages = 1): Reservation {
    const token = `${this.instance}.${(this.counter++).toString(36)}`
    for (let i = 0; i < messages; i++) {
      this.chatWindow(botId, chatId).entries.push({ at: now + RESERVATION_HOLD_MS, token })
      this.globalWindow(botId).entries.push({ at: now + RESERVATION_HOLD_MS, token })
    }
    return { botId, chatId, token }
  }

  /** The call answered at `at`: its messages arrived by then. */
  confirm(reservation: Reservation, at = Date.now()): void {
    for (const window of [this.chatWindow(reservation.botId, reservation.chatId), this.globalWindow(reservation.botId)]) {
      for (const entry of window.entries) if (entry.token === reservation.token) Object.assign(entry, { at, token: undefined })
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
      dropExpired(window, now)
      if (window.blockedUntil < now && window.limit === window.baseLimit && window.entries.length === 0) this.windows.delete(key)
    }
  }

  /** This bot's windows as they should be stored (expired entries left out). */
  exportBot(botId: number, now = Date.now()): StoredWindows {
    const stored: StoredWindows = {}
    const prefix = `${botId}:`
    for (const [key, window] of this.windows) {
      if (!key.startsWith(prefix)) continue
      dropExpired(window, now)
      if (window.entries.length) stored[key.slice(prefix.length)] = window.entries.map((e) => (e.token ? [e.at, e.token] : [e.at]))
    }
    return stored
  }

  /**
   * Replaces this bot's entries with the stored ones (every process's sends), keeping the
   * tokens in `confirmed` at the time this process confirmed them. Penalties stay per process.
   */
  importBot(botId: number, stored: StoredWindows, confirmed: ReadonlyMap<string, number>): void {
    const prefix = `${botId}:`
    for (const [key, window] of this.windows) if (key.startsWith(prefix)) window.entries = []
    for (const [chat, entries] of Object.entries(stored)) {
      const window = chat === GLOBAL ? this.globalWindow(botId) : this.chatWindow(botId, Number(chat))
      window.entries = entries.map(([at, token]) => (token && confirmed.has(token) ? { at: confirmed.get(token)! } : token ? { at, token } : { at }))
    }
  }

  /**
   * Adds sends known from elsewhere (the outbox's record of the last minute, at start-up) where
   * this bot's window of that chat holds fewer: the newest of them count, as sent at their times.
   */
  seedBot(botId: number, sends: ReadonlyMap<number, readonly number[]>, now = Date.now()): void {
    for (const [chatId, times] of sends) {
      const window = this.chatWindow(botId, chatId)
      dropExpired(window, now)
      const missing = times.length - window.entries.length
      if (missing > 0)
        window.entries.push(
          ...[...times]
            .sort((a, b) => a - b)
            .slice(-missing)
            .map((at) => ({ at })),
        )
    }
  }

  /**
   * When the next `count` slots of this bot's window of the chat come free, one time per slot,
   * earliest first (now for a free one): where the planner spreads sends that must wait, so
   * they come back one per freed slot instead of all at the first.
   */
  freeSlotTimes(botId: number, chatId: number, count: number, now = Date.now()): number[] {
    const window = this.chatWindow(botId, chatId)
    const unblocked = now + this.wait(window, now, 1, 0) // also restores a penalised limit and drops expired entries
    // A reservation counts here from when it was planned, not as arriving a whole hold later: its
    // call answers within a moment, and a slot promised 15 s late stayed unused those 15 s (a
    // saturated group got 16 a minute of 20). A promise a moment early only costs a plan again.
    const arrivals = window.entries.map((e) => (e.token ? e.at - RESERVATION_HOLD_MS : e.at)).sort((a, b) => a - b)
    const times: number[] = []
    for (let slot = 0; slot < count; slot++) {
      const freedBy = arrivals.length - window.limit + slot
      // Beyond a whole window of waiting sends, a slot comes free a span after the one a window earlier.
      const at = freedBy < 0 ? now : freedBy < arrivals.length ? arrivals[freedBy]! + window.spanMs + MARGIN_MS : times[slot - window.limit]! + window.spanMs + MARGIN_MS
      times.push(Math.max(at, slot === 0 ? unblocked : now, window.blockedUntil))
    }
    return times
  }

  private wait(window: Window, now: number, messages: number, headroom: number): number {
    if (window.limit < window.baseLimit && now >= window.restoreAt) window.limit = window.baseLimit
    dropExpired(window, now)
    const blocked = Math.max(0, window.blockedUntil - now)
    const limit = Math.max(1, window.limit - headroom)
    const need = Math.min(messages, limit)
    if (window.entries.length + need <= limit) return blocked
    const entries = [...window.entries].sort((a, b) => a.at - b.at)
    const oldest = entries[entries.length - 1 - limit + need]!
    const wait = oldest.at + window.spanMs + MARGIN_MS - now
    // The slot waited for is this process's send still in flight: it counts as arriving a whole
    // hold from now only until its call answers (milliseconds). Plan again then, not a hold later:
    // the 100 answers of 100 moves waited 16 s behind the CS bot's 30 sends in flight.
    const inFlight = oldest.token?.startsWith(`${this.instance}.`) ?? false
    return Math.max(blocked, inFlight ? Math.min(wait, IN_FLIGHT_RECHECK_MS) : wait)
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
    const key = `${botId}:${GLOBAL}`
    let window = this.windows.get(key)
    if (!window) {
      window = newWindow(this.options.globalPerSecond, 1000)
      this.windows.set(key, window)
    }
    return window
  }
}

/** An entry counts while Telegram may still count it: up to one span after its arrival. */
function dropExpired(window: Window, now: number): void {
  if (window.entries.some((e) => e.at <= now - window.spanMs)) window.entries = window.entries.filter((e) => e.at > now - window.spanMs)
}

function newWindow(limit: number, spanMs: number): Window {
  return { limit, baseLimit: limit, restoreAt: 0, spanMs, entries: [], blockedUntil: 0 }
}
