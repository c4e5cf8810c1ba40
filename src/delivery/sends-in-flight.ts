import { and, eq, inArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { inProject } from '../db/project-scope.js'
import { outbox, topics } from '../db/schema/index.js'
import { decodeDestination } from './destination.js'

// Part of delivery's contract with the domain (ARCHITECTURE.md). A copy is in the chat before its
// id is recorded: Telegram shows it to the chat's members before its answer (the copy's message
// id) reaches the sender, so a reaction to it can come in first and find no original. Whoever
// looks a message up and finds nothing can wait for the sends still in flight to that chat.

/** How often `untilSent` looks again, and for how long at most (a send answers within seconds). */
const LOOK_EVERY_MS = 25
const LONGEST_WAIT_MS = 5000

/** The jobs whose sends record a copy (`relay_links`): the only ones a lookup can be waiting for. */
const RECORDING_COPIES = ['relay', 'relay_album']

/** The project's copies being sent into `chatId` right now, on any instance (outbox rows `sending`). */
export async function sendsInFlightTo(db: DbOrTx, projectId: number, chatId: number): Promise<number[]> {
  const sending = await db
    .select({ id: outbox.id, destination: outbox.destination })
    .from(outbox)
    .where(inProject(outbox, projectId, eq(outbox.state, 'sending'), inArray(sql`JSON_VALUE(${outbox.job}, '$.type')`, RECORDING_COPIES)))
  const inChat: number[] = []
  const byTopic = new Map<number, number[]>()
  for (const row of sending) {
    const destination = decodeDestination(row.destination)
    if (!destination) continue
    if (destination.kind === 'topic') byTopic.set(destination.topicId, [...(byTopic.get(destination.topicId) ?? []), row.id])
    else if ((destination.kind === 'chat' && destination.chatId === chatId) || (destination.kind === 'private_chat' && destination.userId === chatId)) inChat.push(row.id)
  }
  if (byTopic.size > 0) {
    const there = await db
      .select({ id: topics.id })
      .from(topics)
      .where(inProject(topics, projectId, inArray(topics.id, [...byTopic.keys()]), eq(topics.chatId, chatId)))
    for (const topic of there) inChat.push(...(byTopic.get(topic.id) ?? []))
  }
  return inChat
}

/** Resolves once none of the rows is being sent any more (sent and recorded, failed, or put back), or after a few seconds. */
export async function untilSent(db: DbOrTx, rowIds: number[]): Promise<void> {
  const deadline = Date.now() + LONGEST_WAIT_MS
  while (rowIds.length > 0 && Date.now() < deadline) {
    const still = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(inArray(outbox.id, rowIds), eq(outbox.state, 'sending')))
    if (still.length === 0) return
    await new Promise((resolve) => setTimeout(resolve, LOOK_EVERY_MS))
  }
}
