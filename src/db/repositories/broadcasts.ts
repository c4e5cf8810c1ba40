import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../client.js'
import { broadcasts } from '../schema/index.js'

/** What a broadcast sends: the source message's JSON and the bot that received it (whose file ids it carries). */
export interface BroadcastSource {
  source: string
  sourceBotId: number
}

/** The message a broadcast sends, or undefined when the broadcast is gone. */
export async function findBroadcastSource(db: DbOrTx, broadcastId: number): Promise<BroadcastSource | undefined> {
  const [row] = await db.select({ source: broadcasts.source, sourceBotId: broadcasts.sourceBotId }).from(broadcasts).where(eq(broadcasts.id, broadcastId))
  return row
}
