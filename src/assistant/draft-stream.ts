import type { DraftSender } from './jobs/job.js'

/** At most one draft a second into a chat: Telegram's sustained budget of a private chat (shared/telegram-facts.md). */
export const DRAFT_INTERVAL_MS = 1_000

/**
 * Streams a text as it grows with `sendMessageDraft` (direct calls, not the outbox: a draft is
 * a 30-second preview, never a message). Throttled to one draft per `DRAFT_INTERVAL_MS`, calls
 * in order, never waited on by the stream; the first failed call (a 429, a blocked bot) stops
 * the drafts, never the answer, which goes through the outbox. Once `withheld` says so of the
 * text so far, no more drafts.
 */
export function draftStreamer(send: DraftSender | undefined, botId: number, chatId: number, draftId: number, withheld?: (soFar: string) => boolean) {
  let chain: Promise<void> = Promise.resolve()
  let lastAt = 0
  /** No more drafts: the stream ended, or a call failed (then the queued ones are dropped too). */
  let closed = !send
  let failed = false
  let sent = 0
  return {
    onText(soFar: string): void {
      const now = Date.now()
      if (closed || !soFar.trim()) return
      if (withheld?.(soFar)) return void (closed = true) // e.g. a risk phrase: the answer will be kept back, so no preview either
      if (now - lastAt < DRAFT_INTERVAL_MS) return
      lastAt = now
      chain = chain.then(() =>
        failed
          ? undefined
          : send!(botId, chatId, draftId, soFar.slice(0, 4096)).then(
              () => void sent++,
              () => void (failed = closed = true),
            ),
      )
    },
    /** Waits for the drafts under way (so the message comes after them); how many were sent. */
    async done(): Promise<number> {
      closed = true
      await chain
      return sent
    },
  }
}
