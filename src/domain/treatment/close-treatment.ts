import { and, eq, inArray } from 'drizzle-orm'
import { activeTopicStates, customers, topics } from '../../db/schema/index.js'
import { logAssignment } from '../assignment-log.js'
import { enqueueTo } from '../enqueue-to.js'
import { activeTopicOfRole } from '../routing.js'
import { queueTopicText } from '../topic-notices.js'
import type { DomainDeps } from '../deps.js'
import { staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { homeRole } from '../roles.js'
import { activeTreatmentTopic } from './treatment-topic.js'

export type CloseTreatmentOutcome = { ok: true; topicId: number } | { ok: false; reason: string }

/**
 * `/treatment close`: the customer's Treatment topic is retired (client messages stop going
 * there), told so, closed in Telegram, and CS hears about it. One transaction, under the
 * customer's row lock so it cannot interleave with an opening.
 */
export async function closeTreatment(deps: DomainDeps, project: ProjectRuntime, customerId: number, actorUserId: number): Promise<CloseTreatmentOutcome> {
  const t = textsOf(project)
  const actor = staffMember(project, actorUserId)?.name ?? t.staff('staffLower')
  const outcome = await deps.db.transaction(async (tx): Promise<CloseTreatmentOutcome> => {
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).for('update')
    const topic = await activeTreatmentTopic(tx, project, customerId)
    if (!topic) return { ok: false, reason: t.staff('treatmentNoneOpen') }
    const [retired] = await tx
      .update(topics)
      .set({ state: 'retired' })
      .where(and(eq(topics.id, topic.id), inArray(topics.state, activeTopicStates)))
    if (retired.affectedRows === 0) return { ok: false, reason: t.staff('treatmentAlreadyClosed') }
    await queueTopicText(tx, project, topic, t.staff('treatmentClosedHere', { by: actor }))
    await enqueueTo(tx, project, { kind: 'topic', topic }, { type: 'close_topic', topicId: topic.id })
    await tx.update(customers).set({ treatment: false }).where(eq(customers.id, customerId))
    await logAssignment(tx, { projectId: project.id, customerId, action: 'treatment_closed', actorUserId, reason: 'command' })
    const csTopic = await activeTopicOfRole(tx, customerId, homeRole(project.roles).key)
    if (csTopic) await queueTopicText(tx, project, csTopic, t.staff('treatmentClosedCs', { by: actor }))
    return { ok: true, topicId: topic.id }
  })
  if (outcome.ok) deps.notify()
  return outcome
}
