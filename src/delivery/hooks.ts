import type { FailureClass } from './classify-error.js'
import type { ClaimedJob } from './outbox.js'

// The types a hook receives, so the domain implementing the port imports only this contract file.
export type { ClaimedJob, FailureClass }

/**
 * The port through which delivery reports outcomes the domain records or reacts to, so
 * delivery itself writes only outbox, relay-link and file-cache rows. Without hooks (delivery
 * tests) the outcomes are simply not recorded.
 */
export interface DeliveryHooks {
  /** A permanent failure the domain reacts to (blocked client, bot removed from a group…). */
  onPermanentFailure?(job: ClaimedJob, failure: FailureClass, error: string): Promise<void>
  /** A topic was reopened or recreated; the failed row goes out again right after. */
  onTopicRecovered?(job: ClaimedJob, outcome: 'reopened' | 'recreated', topicId: number): Promise<void>
  /** A customer's topic now exists in Telegram: its thread id, and it takes messages. */
  onTopicCreated?(topicId: number, threadId: number): Promise<void>
  /** A closed topic was reopened by the service (a `reopen_topic` job, or recovery from TOPIC_CLOSED): it takes messages again. */
  onTopicReopened?(topicId: number): Promise<void>
  /** A deleted or archived topic was created again: its new thread id, and it takes messages. */
  onTopicRecreated?(topicId: number, threadId: number): Promise<void>
  /** A system topic (the CS "Onboarding" topic) now exists in Telegram. */
  onSystemTopicCreated?(systemTopicId: number, threadId: number): Promise<void>
  /** An onboarding card was posted: where, so its buttons can be answered and the card edited. */
  onAssignmentCardSent?(assignmentId: number, chatId: number, messageId: number): Promise<void>
  /** A topic's profile card was posted (by this bot): where, so it can be edited when tags or notes change. */
  onProfileCardSent?(topicId: number, chatId: number, messageId: number, botId: number): Promise<void>
  /** Telegram refused the bot's token (401) on a send: the row waits for a new token; the operator must learn of it. */
  onTokenRefused?(botId: number, error: unknown): void
  /** A group's backlog passed `delivery.coalesceAfterMinutes` (its copies are being combined): the leads should add bots. */
  onGroupBacklog?(projectId: number, chatId: number, minutes: number): Promise<void>
}
