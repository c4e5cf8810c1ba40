import type { MessageEntity } from '../delivery/jobs.js'
import type { ForceReplyMarkup, Keyboard } from './buttons/keyboard.js'
import type { DbOrTx } from '../db/client.js'
import type { ReplyRef } from '../delivery/jobs.js'
import { activeTopics } from './customers.js'
import { enqueueTo, type EnqueueToOptions } from './enqueue-to.js'
import type { ProjectRuntime } from './project-runtime.js'
import type { DomainDeps } from './deps.js'

/** A topic as far as queueing into it goes: its row id and role (which pick the bot). */
export type TopicRef = { id: number; role: string }

/** Queues a text into a customer's topic through its role's bot; returns the outbox row id. */
export function queueTopicText(
  tx: DbOrTx,
  project: ProjectRuntime,
  topic: TopicRef,
  text: string,
  extra: { replyTo?: ReplyRef; entities?: MessageEntity[]; replyMarkup?: Keyboard | ForceReplyMarkup } = {},
  options: EnqueueToOptions = {},
): Promise<number> {
  return enqueueTo(tx, project, { kind: 'topic', topic }, { type: 'text', target: { kind: 'topic', topicId: topic.id }, text, ...extra }, options)
}

/**
 * Answers a staff command in its topic through the outbox, like every other post: a burst of
 * commands (a lead moving a team) then stays within the group's budget instead of meeting 429s.
 */
export async function answerInTopic(
  deps: Pick<DomainDeps, 'db' | 'notify'>,
  project: ProjectRuntime,
  topic: TopicRef,
  text: string,
  extra: { replyTo?: ReplyRef; replyMarkup?: Keyboard } = {},
): Promise<void> {
  await deps.db.transaction((tx) => queueTopicText(tx, project, topic, text, extra))
  deps.notify()
}

/** Queues the same notice into every active topic of a customer (blocked, never started…). */
export async function noticeToTopics(tx: DbOrTx, project: ProjectRuntime, customerId: number, notice: { text: string; replyTo?: ReplyRef }): Promise<void> {
  const { text, ...extra } = notice
  for (const topic of await activeTopics(tx, customerId)) await queueTopicText(tx, project, topic, text, extra)
}

/**
 * A new topic's first rows, all on its destination so they arrive in order: create_topic, the
 * pinned profile card (with its buttons, if any), then the opening notice.
 */
export async function queueTopicOpening(
  tx: DbOrTx,
  project: ProjectRuntime,
  topic: TopicRef,
  opening: { card: string; cardMarkup?: Keyboard; notice: string },
  options: EnqueueToOptions = {},
): Promise<void> {
  const address = { kind: 'topic', topic } as const
  await enqueueTo(tx, project, address, { type: 'create_topic', topicId: topic.id }, options)
  const card = { type: 'text', target: { kind: 'topic', topicId: topic.id }, text: opening.card, purpose: { kind: 'profile_card', topicId: topic.id, pin: true } } as const
  await enqueueTo(tx, project, address, { ...card, ...(opening.cardMarkup ? { replyMarkup: opening.cardMarkup } : {}) }, options)
  await queueTopicText(tx, project, topic, opening.notice, {}, options)
}
