import { and, inArray, notInArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { messages, outbox, relayHolds, relayLinks, unansweredWaits } from '../db/schema/index.js'

/** Outbox rows that may still run a job (sent rows are done; dead ones can be retried by hand). */
const UNFINISHED = ['pending', 'sending', 'dead'] as const

/**
 * Deletes stored messages older than `olderThanDays` with their relay links and holds, in batches. Kept:
 * a message still waiting for a staff answer (`unanswered_waits`), one with a copy not delivered
 * yet, and one an unfinished outbox job refers to. What remains is the history: replay,
 * Treatment context and exports read it; a reply to an expired message's copy reaches the other
 * side as a plain message (its stored original is gone, as for any message never stored).
 */
export async function expireStoredMessages(db: DbOrTx, options: { olderThanDays: number; batchSize?: number }): Promise<{ messages: number; relayLinks: number }> {
  const cutoff = new Date(Date.now() - options.olderThanDays * 24 * 60 * 60 * 1000)
  const batchSize = options.batchSize ?? 500
  const protectedIds = await messagesOfUnfinishedJobs(db)
  const expired = { messages: 0, relayLinks: 0 }
  let after = 0
  for (;;) {
    const rows = await db
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          sql`${messages.id} > ${after}`,
          sql`${messages.createdAt} < ${cutoff}`,
          sql`NOT EXISTS (SELECT 1 FROM ${unansweredWaits} w WHERE w.message_row_id = ${messages.id})`,
          sql`NOT EXISTS (SELECT 1 FROM ${relayLinks} l WHERE l.message_id = ${messages.id} AND l.copy_message_id IS NULL)`,
          protectedIds.length ? notInArray(messages.id, protectedIds) : undefined,
        ),
      )
      .orderBy(messages.id)
      .limit(batchSize)
    if (rows.length === 0) break
    const ids = rows.map((row) => row.id)
    after = ids[ids.length - 1]!
    const [links] = await db.delete(relayLinks).where(inArray(relayLinks.messageId, ids))
    // A hold never released goes with its message (it could only relay what is gone).
    await db.delete(relayHolds).where(inArray(relayHolds.messageId, ids))
    const [deleted] = await db.delete(messages).where(inArray(messages.id, ids))
    expired.relayLinks += links.affectedRows
    expired.messages += deleted.affectedRows
    if (rows.length < batchSize) break
  }
  return expired
}

/** The stored messages that unfinished outbox jobs name, by relay link or row id (their sends need them). */
async function messagesOfUnfinishedJobs(db: DbOrTx): Promise<number[]> {
  const jobs = await db
    .select({ job: outbox.job })
    .from(outbox)
    .where(inArray(outbox.state, [...UNFINISHED]))
  const linkIds = new Set<number>()
  const messageIds = new Set<number>()
  for (const { job } of jobs) collectReferences(JSON.parse(job) as unknown, linkIds, messageIds)
  if (linkIds.size > 0) {
    const linked = await db
      .select({ messageId: relayLinks.messageId })
      .from(relayLinks)
      .where(inArray(relayLinks.id, [...linkIds]))
    for (const { messageId } of linked) messageIds.add(messageId)
  }
  return [...messageIds]
}

/** Every `linkId`/`firstLinkId` and `originalMessageRowId` in a job's payload, at any depth (reply references included). */
function collectReferences(value: unknown, linkIds: Set<number>, messageIds: Set<number>): void {
  if (Array.isArray(value)) for (const item of value) collectReferences(item, linkIds, messageIds)
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (typeof inner === 'number' && (key === 'linkId' || key === 'firstLinkId')) linkIds.add(inner)
      else if (typeof inner === 'number' && key === 'originalMessageRowId') messageIds.add(inner)
      else collectReferences(inner, linkIds, messageIds)
    }
}
