import { sql } from 'drizzle-orm'
import { datetime, longtext, mysqlTable } from 'drizzle-orm/mysql-core'
import { telegramId } from './columns.js'

/**
 * What each bot sent in the last minute, per chat, shared by every service process (one row per
 * bot). `windows` is JSON `{ chat id or "*": [[latest arrival ms, reservation token?], …] }`:
 * a planned send counts from its reservation until its HTTP call answered, then at the time it
 * answered (Telegram counts arrival, which is no later). Processes take and confirm slots in
 * batches under a row lock (`src/delivery/shared-budget.ts`), so budgets survive restarts and
 * are shared, not divided, between instances.
 */
export const rateWindows = mysqlTable('rate_windows', {
  botId: telegramId('bot_id').primaryKey(),
  windows: longtext('windows').notNull(),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date()),
})
