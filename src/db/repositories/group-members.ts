import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../client.js'

/** Where a stored update names its sender and chat (JSON paths), for the kinds that show who is in a group. */
const SEEN_IN_UPDATES = [
  ['$.message.from.id', '$.message.chat.id'],
  ['$.edited_message.from.id', '$.edited_message.chat.id'],
  ['$.message_reaction.user.id', '$.message_reaction.chat.id'],
  ['$.chat_member.new_chat_member.user.id', '$.chat_member.chat.id'],
  ['$.callback_query.from.id', '$.callback_query.message.chat.id'],
] as const

/**
 * Everyone the service has seen in a group of a project: senders in its stored updates and
 * messages, plus every person the project's roster ever listed (the staff table keeps them).
 * The Bot API cannot list a group's members, so this is what a membership sweep can check.
 */
export async function seenInGroup(db: DbOrTx, projectId: number, chatId: number): Promise<number[]> {
  const fromUpdates = SEEN_IN_UPDATES.map(
    ([user, chat]) =>
      sql`SELECT CAST(JSON_VALUE(payload, ${user}) AS INTEGER) AS user_id FROM updates
        WHERE project_id = ${projectId} AND JSON_VALUE(payload, ${chat}) = ${String(chatId)}`,
  )
  const parts = [
    ...fromUpdates,
    sql`SELECT sender_user_id AS user_id FROM messages WHERE project_id = ${projectId} AND chat_id = ${chatId}`,
    sql`SELECT telegram_user_id AS user_id FROM staff WHERE project_id = ${projectId}`,
  ]
  const [rows] = (await db.execute(sql`SELECT DISTINCT user_id FROM (${sql.join(parts, sql` UNION ALL `)}) seen WHERE user_id IS NOT NULL`)) as unknown as [
    Array<{ user_id: number | string }>,
  ]
  return rows.map((row) => Number(row.user_id))
}
