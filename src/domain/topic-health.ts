import { eq } from 'drizzle-orm'
import { accounts, auditLog } from '../db/schema/index.js'
import { findTopic } from '../db/repositories/relay.js'
import { destinationKey } from '../delivery/jobs.js'
import { enqueue } from '../delivery/outbox.js'
import { findCustomer, laneForTopic } from './customers.js'
import type { DomainDeps } from './deps.js'
import { profileCard } from './onboarding/open-topics.js'
import type { ProjectRuntime } from './project-runtime.js'

/**
 * After the outbox reopened or recreated a customer's topic: tell the staff once, and give a
 * recreated topic its pinned profile card again.
 */
export async function noteTopicRecovered(deps: DomainDeps, project: ProjectRuntime, topicId: number, outcome: 'reopened' | 'recreated', botId: number): Promise<void> {
  const topic = await findTopic(deps.db, topicId)
  const customer = topic ? await findCustomer(deps.db, topic.customerId) : undefined
  if (!topic || !customer) return
  const [account] = customer.accountId ? await deps.db.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
  const target = { kind: 'topic' as const, topicId }
  const base = { projectId: project.id, lane: laneForTopic(topic.role), destination: destinationKey(target), botId }
  await deps.db.transaction(async (tx) => {
    const notice =
      outcome === 'reopened'
        ? '♻️ This topic had been closed; it was reopened so the conversation can go on.'
        : '♻️ The previous topic of this customer was deleted or archived; this one replaces it. Earlier messages are in the old topic, if it still exists.'
    await enqueue(tx, { ...base, job: { type: 'text', target, text: notice } })
    if (outcome === 'recreated' && account) {
      const card = profileCard(customer, account, { crTeam: customer.crTeam ?? '—', treatment: customer.treatment, decidedBy: { id: 0, name: '' } }, topic.role, project.config.relay.notePrefix)
      await enqueue(tx, { ...base, job: { type: 'text', target, text: card, purpose: { kind: 'profile_card', topicId, pin: true } } })
    }
    await tx.insert(auditLog).values({ projectId: project.id, action: `topic_${outcome}`, customerId: customer.id, details: JSON.stringify({ topicId, threadId: topic.threadId }) })
  })
  deps.notify()
}
