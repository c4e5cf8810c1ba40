/**
 * Where an outbox row goes, and the one place its stored `destination` string is written and read.
 * Topics are referenced by row id and resolved to their current thread at send time, so a job
 * queued before the topic exists (or after it was recreated) still lands in the right place.
 * Rows with the same encoded destination are delivered in id order.
 */
export type Target = { kind: 'chat'; chatId: number } | { kind: 'topic'; topicId: number } | { kind: 'system_topic'; systemTopicId: number }

/**
 * A row's ordering stream. A person's private chat is one chat per bot (a client of two brands
 * has two), so it names the bot: a row waiting for one bot never holds up another bot's rows to
 * the same person. A `chat` is a group chat (outside topics); rows queued for a private chat
 * before migration 0011 read back as a `chat` too. An `aside` row (a summary sent later, e.g. a
 * flood notice delayed to the end of its window) neither waits behind nor holds back the
 * stream's ordered rows. A `bulk` row (the bulk priority class) is ordered only among the bulk
 * rows of its target, so a broadcast waiting for its budget never holds up a live reply there.
 */
export type Destination = (
  { kind: 'chat'; chatId: number } | { kind: 'private_chat'; userId: number; botId: number } | { kind: 'topic'; topicId: number } | { kind: 'system_topic'; systemTopicId: number }
) & { aside?: boolean; bulk?: boolean }

/** The stored prefix of each kind (SQL joins on it: see `server/metrics.ts`); a private chat's is `chat:` too. */
export const DESTINATION_PREFIX = { chat: 'chat:', topic: 'topic:', system_topic: 'system:' } as const

const ASIDE_SUFFIX = ':aside'
const BULK_SUFFIX = ':bulk'
const BOT_INFIX = ':bot:'

/** The destination of a target sent by `botId`: a private chat (a person, positive id) is the bot's own. */
export function destinationOf(target: Target, botId: number, options: { aside?: boolean; bulk?: boolean } = {}): Destination {
  const aside = { ...(options.bulk ? { bulk: true } : {}), ...(options.aside ? { aside: true } : {}) }
  if (target.kind === 'chat' && target.chatId > 0) return { kind: 'private_chat', userId: target.chatId, botId, ...aside }
  return { ...target, ...aside }
}

/**
 * The stored string of a destination: `chat:<group id>`, `chat:<user id>:bot:<bot id>`,
 * `topic:<row>` or `system:<row>`, plus `:bulk` and `:aside`. A `chat` with a person's id (no bot) is
 * refused: it would put every bot's chat with that person in one stream.
 */
export function encodeDestination(destination: Destination): string {
  const aside = `${destination.bulk ? BULK_SUFFIX : ''}${destination.aside ? ASIDE_SUFFIX : ''}`
  switch (destination.kind) {
    case 'chat':
      if (destination.chatId > 0) throw new Error(`a private chat's destination names its bot (chat ${destination.chatId})`)
      return `${DESTINATION_PREFIX.chat}${destination.chatId}${aside}`
    case 'private_chat':
      return `${DESTINATION_PREFIX.chat}${destination.userId}${BOT_INFIX}${destination.botId}${aside}`
    case 'topic':
      return `${DESTINATION_PREFIX.topic}${destination.topicId}${aside}`
    case 'system_topic':
      return `${DESTINATION_PREFIX.system_topic}${destination.systemTopicId}${aside}`
  }
}

/** Reads a stored destination string back (the old `chat:<user id>` too); undefined for a string no encoder wrote. */
export function decodeDestination(stored: string): Destination | undefined {
  const match = /^(chat|topic|system):(-?\d+)(?::bot:(\d+))?(:bulk)?(:aside)?$/.exec(stored)
  if (!match) return undefined
  const id = Number(match[2])
  const aside = { ...(match[4] ? { bulk: true } : {}), ...(match[5] ? { aside: true } : {}) }
  if (match[3] !== undefined) return match[1] === 'chat' && id > 0 ? { kind: 'private_chat', userId: id, botId: Number(match[3]), ...aside } : undefined
  if (match[1] === 'chat') return { kind: 'chat', chatId: id, ...aside }
  if (match[1] === 'topic') return { kind: 'topic', topicId: id, ...aside }
  return { kind: 'system_topic', systemTopicId: id, ...aside }
}

/** The target a destination posts into (dropping its bot and ordering stream). */
export function targetOf(destination: Destination): Target {
  switch (destination.kind) {
    case 'chat':
      return { kind: 'chat', chatId: destination.chatId }
    case 'private_chat':
      return { kind: 'chat', chatId: destination.userId }
    case 'topic':
      return { kind: 'topic', topicId: destination.topicId }
    case 'system_topic':
      return { kind: 'system_topic', systemTopicId: destination.systemTopicId }
  }
}

/** The person whose private chat a destination is, in either stored form. */
export function privateChatOf(destination: Destination | undefined): number | undefined {
  if (destination?.kind === 'private_chat') return destination.userId
  return destination?.kind === 'chat' && destination.chatId > 0 ? destination.chatId : undefined
}
