import type { Update } from 'grammy/types'
import { ApiError } from './api-error.js'
import type { Wire } from './world.js'

export const ALL_UPDATE_TYPES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
]
const OPT_IN = new Set(['chat_member', 'message_reaction', 'message_reaction_count'])
export const DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES.filter((t) => !OPT_IN.has(t))

export const CONFLICT_POLL = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'

interface Poller {
  offset: number | undefined
  limit: number
  resolve: (updates: Update[]) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
  wake?: NodeJS.Immediate
}

/** One bot's pending updates, with Telegram's getUpdates semantics (offset confirms, one poller at a time). */
export class UpdateQueue {
  private items: Update[] = []
  private nextUpdateId: number
  private poller: Poller | undefined
  allowed = new Set(DEFAULT_UPDATE_TYPES)
  /** Called after an update was queued (the webhook sender listens). */
  onPush: (() => void) | undefined
  /** Called when a getUpdates ends another one still waiting (two pollers of one bot). */
  onConflict: (() => void) | undefined
  /** Users this bot has seen in an update (or fetched with getChatMember): the only ones it may `text_mention`. */
  readonly seenUsers = new Set<number>()

  constructor(firstUpdateId: number) {
    this.nextUpdateId = firstUpdateId
  }

  /** Queues an update unless the bot did not subscribe to its type. */
  push(type: string, payload: Wire): boolean {
    if (!this.allowed.has(type)) return false
    this.noteUsers(payload)
    this.items.push({ update_id: this.nextUpdateId++, [type]: payload })
    this.wakePoller()
    this.onPush?.()
    return true
  }

  /** The sender, reactor or new member of an update: tdlib learns a user (and may then mention them) from what it receives. */
  private noteUsers(payload: Wire): void {
    const wire = payload as { from?: { id?: number }; user?: { id?: number }; new_chat_member?: { user?: { id?: number } } }
    for (const id of [wire.from?.id, wire.user?.id, wire.new_chat_member?.user?.id]) if (typeof id === 'number') this.seenUsers.add(id)
  }

  /** allowed_updates: omitted keeps the previous list, [] restores the default. */
  setAllowed(list: string[] | undefined): void {
    if (list === undefined) return
    this.allowed = new Set(list.length === 0 ? DEFAULT_UPDATE_TYPES : list.filter((t) => ALL_UPDATE_TYPES.includes(t)))
  }

  get pendingCount(): number {
    return this.items.length
  }

  /** The first `count` pending updates, oldest first (a webhook sender looks at this many at a time). */
  first(count: number): Update[] {
    return this.items.slice(0, count)
  }

  /** Drops one update delivered to a webhook (in parallel, not necessarily the oldest). */
  remove(updateId: number): void {
    this.items = this.items.filter((u) => u.update_id !== updateId)
  }

  dropPending(): void {
    this.items = []
  }

  /** Applies an offset: positive confirms earlier updates; negative keeps only the last -offset ones. */
  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return
    if (offset > 0) this.items = this.items.filter((u) => u.update_id >= offset)
    else this.items = this.items.slice(offset)
  }

  /** getUpdates: answers at once when updates are pending, else waits up to timeout seconds. */
  poll(offset: number | undefined, limit: number, timeoutSeconds: number, signal?: AbortSignal): Promise<Update[]> {
    if (this.poller) this.onConflict?.()
    this.terminatePoller(new ApiError(409, CONFLICT_POLL))
    this.confirm(offset)
    if (this.items.length > 0 || timeoutSeconds <= 0) return Promise.resolve(this.items.slice(0, limit))
    return new Promise((resolve, reject) => {
      const poller: Poller = {
        offset,
        limit,
        resolve,
        reject,
        timer: setTimeout(() => this.finishPoller(poller), timeoutSeconds * 1000),
      }
      this.poller = poller
      signal?.addEventListener('abort', () => this.finishPoller(poller), { once: true })
    })
  }

  /** Ends a waiting getUpdates early (client went away, or the simulator closes). */
  cancelPoll(answer: 'empty' | Error = 'empty'): void {
    if (answer === 'empty') {
      const p = this.poller
      if (p) this.finishPoller(p)
    } else this.terminatePoller(answer)
  }

  private terminatePoller(error: Error): void {
    const p = this.poller
    if (!p) return
    this.clear(p)
    p.reject(error)
  }

  private wakePoller(): void {
    const p = this.poller
    if (!p || p.wake) return
    // Answer on the next turn so updates queued together (an album) come in one response.
    p.wake = setImmediate(() => this.finishPoller(p))
  }

  private finishPoller(p: Poller): void {
    if (this.poller !== p) return
    this.clear(p)
    p.resolve(this.items.slice(0, p.limit))
  }

  private clear(p: Poller): void {
    clearTimeout(p.timer)
    if (p.wake) clearImmediate(p.wake)
    this.poller = undefined
  }

  hasPoller(): boolean {
    return this.poller !== undefined
  }
}
