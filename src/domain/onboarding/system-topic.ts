import { sql } from 'drizzle-orm'
import { projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { systemTopics } from '../../db/schema/index.js'
import { enqueueTo } from '../enqueue-to.js'
import { homeGroup, type ProjectRuntime } from '../project-runtime.js'
import type { CardKeyboard } from './assignment-card.js'

/**
 * The CS group's "Onboarding" topic, created once. The create job and every card share the
 * destination key, so cards queued before the topic exists are delivered after it.
 */
export async function ensureOnboardingTopic(tx: DbOrTx, project: ProjectRuntime): Promise<number> {
  const chatId = homeGroup(project).chatId
  const [inserted] = await tx
    .insert(systemTopics)
    .ignore()
    .values(projectRow(systemTopics, project.id, { chatId, purpose: 'onboarding' }))
  if (inserted.affectedRows === 1) {
    const id = Number(inserted.insertId)
    await enqueueTo(tx, project, { kind: 'system_topic', systemTopicId: id }, { type: 'create_system_topic', systemTopicId: id })
    return id
  }
  // Another transaction made it, perhaps after this one's snapshot (a client's first email beside
  // another's): a plain read would not see it. A locking read sees the latest committed row; the
  // insert's duplicate check holds a shared lock on it already.
  const [rows] = (await tx.execute(
    sql`SELECT id FROM system_topics WHERE project_id = ${project.id} AND chat_id = ${chatId} AND purpose = 'onboarding' LOCK IN SHARE MODE`,
  )) as unknown as [Array<{ id: number }>]
  const row = rows[0]
  if (!row) throw new Error('Onboarding topic row vanished')
  return Number(row.id)
}

/** Queues a message from the CS bot into the Onboarding topic. */
export async function queueOnboardingText(tx: DbOrTx, project: ProjectRuntime, text: string, extra: { replyMarkup?: CardKeyboard; assignmentId?: number } = {}): Promise<number> {
  const systemTopicId = await ensureOnboardingTopic(tx, project)
  return enqueueTo(
    tx,
    project,
    { kind: 'system_topic', systemTopicId },
    {
      type: 'text',
      target: { kind: 'system_topic', systemTopicId },
      text,
      ...(extra.replyMarkup ? { replyMarkup: extra.replyMarkup } : {}),
      ...(extra.assignmentId ? { purpose: { kind: 'assignment_card', assignmentId: extra.assignmentId } } : {}),
    },
  )
}
