import { eq } from 'drizzle-orm'
import { accounts, auditLog } from '../db/schema/index.js'
import { findTopic } from '../db/repositories/relay.js'
import { findCustomer } from './customers.js'
import { enqueueTo } from './enqueue-to.js'
import { queueTopicText } from './topic-notices.js'
import type { DomainDeps } from './deps.js'
import { profileCard } from './onboarding/open-topics.js'
import { textsOf, type ProjectRuntime } from './project-runtime.js'
import { projectRow } from '../db/project-scope.js'

/**
 * After the outbox reopened or recreated a customer's topic: tell the staff once, and give a
 * recreated topic its pinned profile card again.
 */
export async function noteTopicRecovered(deps: DomainDeps, project: ProjectRuntime, topicId: number, outcome: 'reopened' | 'recreated', botId: number): Promise<void> {
  const topic = await findTopic(deps.db, topicId)
  const customer = topic ? await findCustomer(deps.db, topic.customerId) : undefined
  if (!topic || !customer) return
  const [account] = customer.accountId ? await deps.db.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
  // Through the bot that just recovered the topic (it knows the topic exists again).
  const via = { via: botId }
  await deps.db.transaction(async (tx) => {
    const notice = textsOf(project).staff(outcome === 'reopened' ? 'topicRecoveredReopened' : 'topicRecoveredRecreated')
    await queueTopicText(tx, project, topic, notice, {}, via)
    if (outcome === 'recreated' && account) {
      const card = profileCard(project, customer, account, { crTeam: customer.crTeam ?? '—', treatment: customer.treatment, decidedBy: { id: 0, name: '' } }, topic.role)
      await enqueueTo(
        tx,
        project,
        { kind: 'topic', topic },
        { type: 'text', target: { kind: 'topic', topicId }, text: card, purpose: { kind: 'profile_card', topicId, pin: true } },
        via,
      )
    }
    await tx
      .insert(auditLog)
      .values(projectRow(auditLog, project.id, { action: `topic_${outcome}`, customerId: customer.id, details: JSON.stringify({ topicId, threadId: topic.threadId }) }))
  })
  deps.notify()
}
