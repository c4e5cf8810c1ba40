import type { Message } from 'grammy/types'
import { retryTransient } from '../db/errors.js'

/** How far a send of several messages got: how many are out, and the one that stands for the whole. */
export interface SendProgress {
  sent: number
  messageId?: number
  /** The relay links an album job covers, fixed by its first attempt. */
  parts?: number[]
  /** The rows a combined copy covers (outbox row, relay link), fixed before its send (`coalesce.ts`). */
  folded?: Array<{ outboxId: number; linkId: number }>
}

/** Where a send's progress is kept between attempts (the outbox row's result). */
export interface ProgressStore {
  readonly done: SendProgress
  save(progress: SendProgress): Promise<void>
}

/** One Telegram message of a send; `represents` marks the one whose id stands for the whole. */
export interface SendStep {
  send: () => Promise<Pick<Message, 'message_id'>>
  represents?: boolean
  /** Messages the step posts (an album's items); 1 when absent. */
  messages?: number
}

/** How many messages the steps not yet done will post: what a job weighs against the rate budgets. */
export function messagesLeft(steps: SendStep[], done: SendProgress | undefined): number {
  return steps.slice(done?.sent ?? 0).reduce((sum, step) => sum + (step.messages ?? 1), 0)
}

/**
 * Sends the messages of one piece of content in order (the parts of a long text, a media and
 * the rest of its caption…), skipping those an earlier attempt already sent, and records the
 * progress after each but the last: a retry resumes from the part that failed, not from the
 * first. Returns the id of the representing message.
 */
export async function runSteps(steps: SendStep[], store?: ProgressStore, extra: Omit<SendProgress, 'sent' | 'messageId'> = {}): Promise<number> {
  let messageId = store?.done.messageId
  for (let i = store?.done.sent ?? 0; i < steps.length; i++) {
    const step = steps[i]!
    const sent = await step.send()
    if (step.represents) messageId = sent.message_id
    if (i < steps.length - 1 && store) {
      const progress = { ...extra, sent: i + 1, ...(messageId !== undefined ? { messageId } : {}) }
      await retryTransient(() => store.save(progress))
    }
  }
  if (messageId === undefined) throw new Error('A send finished without its representing message')
  return messageId
}
