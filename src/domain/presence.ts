import { inArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import { agentPresence, type PresenceStatus } from '../db/schema/index.js'

export type { PresenceStatus } from '../db/schema/index.js'

/**
 * An agent's presence is one row for the whole deployment: an agent working for two brands who
 * says `/online` in one is online in both. What they said wins; with nothing said, posting in a
 * customer topic counts as online for `presence.activeMinutes`.
 */
export interface Presence {
  status: PresenceStatus
  /** True when the agent set it (`/online`, `/away`, `/offline`); false when read from activity. */
  explicit: boolean
}

/** Records what an agent said about themselves (`/online`, `/away`, `/offline`). */
export async function setPresence(db: DbOrTx, userId: number, status: PresenceStatus, now: Date): Promise<void> {
  await db
    .insert(agentPresence)
    .values({ userId, status, statusAt: now })
    .onDuplicateKeyUpdate({ set: { status: sql`VALUES(status)`, statusAt: sql`VALUES(status_at)` } })
}

/** Records that an agent just posted in a customer topic (one upsert; the newest time wins). */
export async function noteAgentActivity(db: DbOrTx, userId: number, now: Date): Promise<void> {
  await db
    .insert(agentPresence)
    .values({ userId, lastActiveAt: now })
    .onDuplicateKeyUpdate({ set: { lastActiveAt: sql`GREATEST(COALESCE(last_active_at, VALUES(last_active_at)), VALUES(last_active_at))` } })
}

/** The presence of each of `userIds` at `now` (agents never seen are offline). */
export async function presenceOf(db: DbOrTx, userIds: readonly number[], activeMinutes: number, now: Date): Promise<Map<number, Presence>> {
  const rows =
    userIds.length === 0
      ? []
      : await db
          .select()
          .from(agentPresence)
          .where(inArray(agentPresence.userId, [...userIds]))
  const byId = new Map(rows.map((row) => [row.userId, row]))
  const activeSince = now.getTime() - activeMinutes * 60_000
  return new Map(
    userIds.map((id): [number, Presence] => {
      const row = byId.get(id)
      if (row?.status) return [id, { status: row.status, explicit: true }]
      const active = row?.lastActiveAt !== null && row?.lastActiveAt !== undefined && row.lastActiveAt.getTime() >= activeSince
      return [id, { status: active ? 'online' : 'offline', explicit: false }]
    }),
  )
}
