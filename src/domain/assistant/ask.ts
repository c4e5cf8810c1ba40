import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import { topics } from '../../db/schema/index.js'
import type { Topic } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { queueTopicText } from '../topic-notices.js'
import { hasAssistant, queueAssistantJob } from './jobs.js'

/** What an `ask` job is given: the question, the topic it was asked in, and the command's message to answer. */
export interface AskJobPayload {
  topicId: number
  question: string
  commandMessageId: number
}

/**
 * `/ask <question>` in a customer's topic: queues an `ask` job (the assistant answers staff only,
 * in the topic, never the client). Returns the text the command answers at once.
 */
export async function askAssistant(deps: DomainDeps, project: ProjectRuntime, topic: Topic, question: string, commandMessageId: number): Promise<string> {
  const t = textsOf(project)
  if (!hasAssistant(project)) return t.staff('askNoAssistant')
  if (!question.trim()) return t.staff('askUsage')
  const payload: AskJobPayload = { topicId: topic.id, question: question.trim(), commandMessageId }
  await deps.db.transaction((tx) => queueAssistantJob(tx, project, { kind: 'ask', payload, customerId: topic.customerId }))
  return t.staff('askThinking')
}

/** Posts the assistant's answer to `/ask` in its topic, as a reply to the command (staff only: it is not a relayed message). */
export async function postAskAnswer(deps: Pick<DomainDeps, 'db' | 'notify'>, project: ProjectRuntime, payload: AskJobPayload, text: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [topic] = await tx
      .select({ id: topics.id, role: topics.role })
      .from(topics)
      .where(inProject(topics, project.id, eq(topics.id, payload.topicId)))
    if (topic) await queueTopicText(tx, project, topic, text, { replyTo: { messageId: payload.commandMessageId } })
  })
  deps.notify()
}
