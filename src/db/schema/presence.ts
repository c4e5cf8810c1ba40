import { datetime, mysqlTable, varchar } from 'drizzle-orm/mysql-core'
import { telegramId } from './columns.js'

export const presenceStatuses = ['online', 'away', 'offline'] as const
export type PresenceStatus = (typeof presenceStatuses)[number]

/**
 * An agent's presence, one row per agent for the whole deployment (an agent working for two
 * brands is online in both). `status` is what they said (`/online`…), NULL when they never did;
 * `lastActiveAt` is their last post in a customer topic, which counts as online for
 * `presence.activeMinutes` when no status was given.
 */
export const agentPresence = mysqlTable('agent_presence', {
  userId: telegramId('user_id').primaryKey(),
  status: varchar('status', { length: 16, enum: presenceStatuses }),
  statusAt: datetime('status_at', { mode: 'date', fsp: 3 }),
  lastActiveAt: datetime('last_active_at', { mode: 'date', fsp: 3 }),
})
