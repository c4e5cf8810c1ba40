import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt } from 'drizzle-orm'
import type { DbOrTx } from '../client.js'
import { inProject, type ProjectScope } from '../project-scope.js'
import { messages, relayLinks, topics, type NotRelayedReason } from '../schema/index.js'

export type MessageRow = typeof messages.$inferSelect
export type RelayLinkRow = typeof relayLinks.$inferSelect
export type TopicRow = typeof topics.$inferSelect

export async function findMessageRow(db: DbOrTx, id: number): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id))
  return row
}

export async function findLink(db: DbOrTx, id: number): Promise<RelayLinkRow | undefined> {
  const [row] = await db.select().from(relayLinks).where(eq(relayLinks.id, id))
  return row
}

export async function findTopic(db: DbOrTx, id: number): Promise<TopicRow | undefined> {
  const [row] = await db.select().from(topics).where(eq(topics.id, id))
  return row
}

export async function linksOfMessage(db: DbOrTx, messageRowId: number): Promise<RelayLinkRow[]> {
  return db.select().from(relayLinks).where(eq(relayLinks.messageId, messageRowId)).orderBy(relayLinks.id)
}

/** Who looks at a message: the bot that saw it, its project, and every bot of that project (a pool posts into groups). */
export interface Viewer extends ProjectScope {
  botId: number
  projectBotIds: readonly number[]
}

/**
 * Finds the stored message a Telegram message stands for: the original itself, or a relay copy.
 * A group's message ids are unique in the group, so any bot of the project may have posted the
 * copy (bot pools); a private chat's ids belong to its one bot, so there the bot must match.
 */
export async function resolveStoredMessage(db: DbOrTx, viewer: Viewer, chatId: number, messageId: number): Promise<{ message: MessageRow; viaLink?: RelayLinkRow } | undefined> {
  const bots = chatId < 0 ? [...viewer.projectBotIds, viewer.botId] : [viewer.botId]
  const [original] = await db
    .select()
    .from(messages)
    .where(inProject(messages, viewer.projectId, inArray(messages.botId, bots), eq(messages.chatId, chatId), eq(messages.messageId, messageId)))
    .orderBy(desc(messages.id))
    .limit(1)
  if (original) return { message: original }
  const [link] = await db
    .select()
    .from(relayLinks)
    .where(inProject(relayLinks, viewer.projectId, eq(relayLinks.chatId, chatId), eq(relayLinks.copyMessageId, messageId), inArray(relayLinks.botId, bots)))
    .orderBy(desc(relayLinks.id))
    .limit(1)
  if (!link) return undefined
  const message = await findMessageRow(db, link.messageId)
  return message ? { message, viaLink: link } : undefined
}

/**
 * The message a reaction on `message` must be set on: for an album part, the album's first
 * non-deleted stored part in the same chat. Telegram sets a reaction on an album item on that
 * item anyway, and the Bot API 7.0 docs required bots to ask for it (telegram-facts "Reactions on albums").
 */
export async function reactionTarget(db: DbOrTx, message: MessageRow): Promise<MessageRow> {
  if (!message.mediaGroupId) return message
  const [first] = await db
    .select()
    .from(messages)
    .where(
      inProject(
        messages,
        message.projectId,
        eq(messages.botId, message.botId),
        eq(messages.chatId, message.chatId),
        eq(messages.mediaGroupId, message.mediaGroupId),
        eq(messages.deleted, false),
      ),
    )
    .orderBy(asc(messages.messageId))
    .limit(1)
  return first ?? message
}

/** The id under which a stored message is visible in a chat: the original there, or a delivered copy. */
export async function messageIdInChat(db: DbOrTx, messageRowId: number, chatId: number): Promise<number | undefined> {
  const original = await findMessageRow(db, messageRowId)
  if (!original) return undefined
  if (original.chatId === chatId) return original.messageId
  const [link] = await db
    .select({ copyMessageId: relayLinks.copyMessageId })
    .from(relayLinks)
    .where(and(eq(relayLinks.messageId, messageRowId), eq(relayLinks.chatId, chatId), isNotNull(relayLinks.copyMessageId)))
    .orderBy(desc(relayLinks.id))
  return link?.copyMessageId ?? undefined
}

/** Ids of the links of an album's parts that still wait to be sent to the same chat as `first`. */
export async function unsentAlbumLinks(db: DbOrTx, first: RelayLinkRow, mediaGroupId: string): Promise<number[]> {
  const rows = await db
    .select({ id: relayLinks.id })
    .from(relayLinks)
    .innerJoin(messages, eq(messages.id, relayLinks.messageId))
    .where(
      inProject(
        relayLinks,
        first.projectId,
        eq(relayLinks.chatId, first.chatId),
        eq(relayLinks.kind, first.kind),
        isNull(relayLinks.copyMessageId),
        inProject(messages, first.projectId),
        eq(messages.mediaGroupId, mediaGroupId),
        eq(messages.chatId, (await findMessageRow(db, first.messageId))?.chatId ?? 0),
      ),
    )
    .orderBy(asc(messages.messageId))
  return rows.map((row) => row.id)
}

/** A relay link with its message and, for a topic copy, its topic. */
export interface LinkWithMessage {
  link: RelayLinkRow
  message: MessageRow
  topic: TopicRow | null
}

/** A relay link with its message and (for topic copies) its topic, in one query (a claimed batch reads its copies with the claim). */
export async function findLinkWithMessage(db: DbOrTx, linkId: number): Promise<LinkWithMessage | undefined> {
  return (await findLinksWithMessages(db, [linkId])).get(linkId)
}

/** `findLinkWithMessage` for several links in one query (a combined copy's parts), by link id. */
export async function findLinksWithMessages(db: DbOrTx, linkIds: number[]): Promise<Map<number, LinkWithMessage>> {
  if (linkIds.length === 0) return new Map()
  const rows = await db
    .select({ link: relayLinks, message: messages, topic: topics })
    .from(relayLinks)
    .innerJoin(messages, eq(messages.id, relayLinks.messageId))
    .leftJoin(topics, eq(topics.id, relayLinks.topicId))
    .where(linkIds.length === 1 ? eq(relayLinks.id, linkIds[0]!) : inArray(relayLinks.id, linkIds))
  return new Map(rows.map((row) => [row.link.id, row]))
}

/** How many of a customer's messages were not relayed for `reason` from row `sinceRowId` until `until` (a flood notice's count). */
export async function countNotRelayed(db: DbOrTx, customerId: number, reason: NotRelayedReason, sinceRowId: number, until: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.customerId, customerId), eq(messages.notRelayed, reason), gte(messages.id, sinceRowId), lt(messages.createdAt, until)))
  return Number(row?.n ?? 0)
}
