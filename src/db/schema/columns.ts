import { sql } from 'drizzle-orm'
import { bigint, datetime, int } from 'drizzle-orm/mysql-core'

/** Telegram ids (users, chats, messages) exceed 2^31; they fit exactly in a JS number (< 2^53). */
export const telegramId = (name: string) => bigint(name, { mode: 'number' })

/** Row id of our own tables. */
export const rowId = (name: string) => bigint(name, { mode: 'number', unsigned: true })

export const projectScope = {
  projectId: int('project_id', { unsigned: true }).notNull(),
}

export const timestamps = {
  createdAt: datetime('created_at', { mode: 'date', fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date()),
}

/** BIGINT UNSIGNED AUTO_INCREMENT primary key (drizzle's `serial` emits SQL MariaDB rejects). */
export const primaryId = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey()
