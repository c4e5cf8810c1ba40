import { eq } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
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
  const [row] = await tx
    .select({ id: systemTopics.id })
    .from(systemTopics)
    .where(inProject(systemTopics, project.id, eq(systemTopics.chatId, chatId), eq(systemTopics.purpose, 'onboarding')))
  if (!row) throw new Error('Onboarding topic row vanished')
  if (inserted.affectedRows === 1) {
    await enqueueTo(tx, project, { kind: 'system_topic', systemTopicId: row.id }, { type: 'create_system_topic', systemTopicId: row.id })
  }
  return row.id
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
