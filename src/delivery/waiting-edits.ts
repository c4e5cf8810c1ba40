import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/client.js'
import type { OutboxJob } from './jobs.js'

type EditText = Extract<OutboxJob, { type: 'edit_text' }>

/**
 * Several pending edits of one message merge into one call: when an edit of the same message
 * still waits, unclaimed, in this destination, it takes the new content and its id is returned
 * (undefined when there is none). The row stays locked until the caller commits, so no worker
 * sends the old content meanwhile; a row already claimed is left alone (the new edit follows it).
 */
export async function replaceWaitingEdit(tx: DbOrTx, projectId: number, destination: string, job: EditText): Promise<number | undefined> {
  const [rows] = (await tx.execute(sql`
    SELECT id FROM outbox
    WHERE project_id = ${projectId} AND destination = ${destination} AND state = 'pending'
      AND JSON_VALUE(job, '$.type') = 'edit_text'
      AND JSON_VALUE(job, '$.chatId') = ${String(job.chatId)} AND JSON_VALUE(job, '$.messageId') = ${String(job.messageId)}
    ORDER BY id DESC
    LIMIT 1
    FOR UPDATE SKIP LOCKED`)) as unknown as [Array<{ id: number | string }>]
  const id = rows[0] ? Number(rows[0].id) : undefined
  if (id !== undefined) await tx.execute(sql`UPDATE outbox SET job = ${JSON.stringify(job)} WHERE id = ${id}`)
  return id
}
