/**
 * Where an outbox row goes, and the one place its stored `destination` string is written and read.
 * Topics are referenced by row id and resolved to their current thread at send time, so a job
 * queued before the topic exists (or after it was recreated) still lands in the right place.
 * Rows with the same encoded destination are delivered in id order.
 */
export type Target = { kind: 'chat'; chatId: number } | { kind: 'topic'; topicId: number } | { kind: 'system_topic'; systemTopicId: number }

/**
 * A target plus its ordering stream: an `aside` row (a summary sent later, e.g. a flood notice
 * delayed to the end of its window) neither waits behind nor holds back the target's ordered rows.
 */
export type Destination = Target & { aside?: boolean }

/** The stored prefix of each target kind (SQL joins on it: see `server/metrics.ts`). */
export const DESTINATION_PREFIX = { chat: 'chat:', topic: 'topic:', system_topic: 'system:' } as const

const ASIDE_SUFFIX = ':aside'

/** The stored string of a destination: `chat:<id>`, `topic:<row>` or `system:<row>`, plus `:aside`. */
export function encodeDestination(destination: Destination): string {
  const id = destination.kind === 'chat' ? destination.chatId : destination.kind === 'topic' ? destination.topicId : destination.systemTopicId
  return `${DESTINATION_PREFIX[destination.kind]}${id}${destination.aside ? ASIDE_SUFFIX : ''}`
}

/** Reads a stored destination string back; undefined for a string no encoder wrote. */
export function decodeDestination(stored: string): Destination | undefined {
  const match = /^(chat|topic|system):(-?\d+)(:aside)?$/.exec(stored)
  if (!match) return undefined
  const id = Number(match[2])
  const aside = match[3] ? { aside: true } : {}
  if (match[1] === 'chat') return { kind: 'chat', chatId: id, ...aside }
  if (match[1] === 'topic') return { kind: 'topic', topicId: id, ...aside }
  return { kind: 'system_topic', systemTopicId: id, ...aside }
}

/** The target a destination posts into (dropping its ordering stream). */
export function targetOf(destination: Destination): Target {
  if (destination.kind === 'chat') return { kind: 'chat', chatId: destination.chatId }
  if (destination.kind === 'topic') return { kind: 'topic', topicId: destination.topicId }
  return { kind: 'system_topic', systemTopicId: destination.systemTopicId }
}
