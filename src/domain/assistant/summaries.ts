import { and, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { activeTopicStates, topics } from '../../db/schema/index.js'
import { activeTopics, type Topic } from '../customers.js'
import { ownersRole } from '../roles.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { queueTopicText } from '../topic-notices.js'
import { hasAssistant, queueAssistantJob } from './jobs.js'

/** The job kind of a conversation summary (`src/assistant/jobs/summary.ts`). */
export const SUMMARY_JOB = 'summary'

/** A summary to write: of whose conversation, into which topic, and why (`/summary`, a transfer, a reassignment). */
export interface SummaryJobPayload {
  customerId: number
  topicId: number
  occasion: 'command' | 'transfer' | 'reassign'
}

/** Queues a summary into a topic (inside the caller's transaction); nothing without an assistant. */
export async function queueSummary(tx: DbOrTx, project: ProjectRuntime, payload: SummaryJobPayload): Promise<void> {
  if (!hasAssistant(project)) return
  await queueAssistantJob(tx, project, { kind: SUMMARY_JOB, payload, customerId: payload.customerId })
}

/** After a `/transfer` (`assistant.summaries.onTransfer`): a summary into the owners' topic, after the owner notice. */
export async function queueSummaryAfterOwnerChange(tx: DbOrTx, project: ProjectRuntime, customerId: number, occasion: 'transfer'): Promise<void> {
  if (!project.config.assistant?.summaries.onTransfer) return
  const role = ownersRole(project.roles)
  const topic = role && (await activeTopics(tx, customerId)).find((t) => t.role === role.key)
  if (topic) await queueSummary(tx, project, { customerId, topicId: topic.id, occasion })
}

/**
 * `/summary` in a customer's topic (staff only: the summary is posted to the topic, never to
 * the client). Returns the text to answer the command with.
 */
export async function requestSummary(deps: DomainDeps, project: ProjectRuntime, topic: Topic): Promise<string> {
  const t = textsOf(project)
  if (!hasAssistant(project)) return t.staff('summaryNoAssistant')
  await deps.db.transaction((tx) => queueSummary(tx, project, { customerId: topic.customerId, topicId: topic.id, occasion: 'command' }))
  return t.staff('summaryQueued')
}

/** Posts a written summary (or the apology of a failed one) into its topic, if the topic is still active. */
export async function postSummary(deps: DomainDeps, project: ProjectRuntime, payload: SummaryJobPayload, summary: string | undefined): Promise<boolean> {
  const t = textsOf(project)
  const posted = await deps.db.transaction(async (tx) => {
    const [topic] = await tx
      .select()
      .from(topics)
      .where(and(eq(topics.id, payload.topicId), eq(topics.customerId, payload.customerId)))
    if (!topic || !(activeTopicStates as readonly string[]).includes(topic.state)) return false
    await queueTopicText(tx, project, topic, summary === undefined ? t.staff('summaryFailed') : t.staff('summaryPosted', { text: summary }))
    return true
  })
  if (posted) deps.notify()
  return posted
}
