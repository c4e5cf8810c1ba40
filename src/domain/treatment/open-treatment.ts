import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { accounts, customers, topics } from '../../db/schema/index.js'
import { destinationKey } from '../../delivery/jobs.js'
import { enqueue } from '../../delivery/outbox.js'
import { logAssignment } from '../assignment-log.js'
import { findCustomer, laneForTopic, type Topic } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import type { PressAnswer } from '../onboarding/decide.js'
import { profileCard, topicName } from '../onboarding/open-topics.js'
import { botForRole, staffMember, type ProjectRuntime } from '../project-runtime.js'
import { queueContextReplay } from './context-replay.js'
import type { TreatmentAction } from '../../bots/buttons/treatment-prompt.js'
import { isCustomerTopic, NOT_THIS_MESSAGE } from '../button-binding.js'
import { refusalFor } from '../permissions.js'
import { activeTreatmentTopic, nextTreatmentGeneration } from './treatment-topic.js'

export interface TreatmentPress {
  action: TreatmentAction
  userId: number
  /** The confirmation message, its topic, and the bot that posted it (it edits the message afterwards). */
  prompt: { chatId: number; messageId: number; threadId?: number; botId: number }
}

/**
 * A press on the `/treatment` confirmation. Opening locks the customer row, so two presses at
 * once open one topic: the second sees the first's topic and is refused.
 */
export async function pressTreatmentButton(deps: DomainDeps, project: ProjectRuntime, press: TreatmentPress): Promise<PressAnswer> {
  const member = staffMember(project, press.userId)
  const refusal = refusalFor(project, press.userId, 'open_treatment')
  if (refusal) return { text: refusal, alert: true }
  const customer = await findCustomer(deps.db, press.action.customerId)
  if (!customer || customer.projectId !== project.id) return { text: 'This button is no longer valid.', alert: true }
  // The confirmation acts for the customer whose CS or CR topic it is in, and no other.
  if (!(await isCustomerTopic(deps.db, project, press.prompt, customer.id, ['cs', 'cr']))) return { text: NOT_THIS_MESSAGE, alert: true }
  const editPrompt = (text: string) => ({
    projectId: project.id,
    lane: 'cs_prompts' as const,
    destination: destinationKey({ kind: 'chat', chatId: press.prompt.chatId }),
    botId: press.prompt.botId,
    job: { type: 'edit_text' as const, chatId: press.prompt.chatId, messageId: press.prompt.messageId, text },
  })
  if (press.action.action === 'cancel') {
    await deps.db.transaction((tx) => enqueue(tx, editPrompt(`Treatment topic not opened (cancelled by ${member!.name}).`)))
    deps.notify()
    return { text: 'Cancelled.', alert: false }
  }
  const group = project.config.groups.treatment
  if (!group || project.bots.treatment.length === 0) return { text: 'This project has no Treatment group configured.', alert: true }
  const [account] = customer.accountId ? await deps.db.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
  if (customer.state !== 'active' || !account) return { text: 'This customer is not onboarded yet.', alert: true }

  const answer = await deps.db.transaction(async (tx): Promise<PressAnswer> => {
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customer.id)).for('update')
    if (await activeTreatmentTopic(tx, customer.id)) return { text: 'This customer already has an open Treatment topic.', alert: true }
    const generation = await nextTreatmentGeneration(tx, customer.id)
    const [inserted] = await tx.insert(topics).values({
      projectId: project.id,
      customerId: customer.id,
      role: 'treatment',
      teamKey: 'treatment',
      chatId: group.chatId,
      name: topicName(customer, account),
      generation,
      lastActivityAt: new Date(),
    })
    const [topic] = await tx.select().from(topics).where(eq(topics.id, Number(inserted.insertId)))
    await queueTopicOpening(tx, project, topic!, profileCard(customer, account, { crTeam: customer.crTeam ?? '—', treatment: true, decidedBy: { id: member!.id, name: member!.name } }, 'treatment', project.config.relay.notePrefix), member!.name)
    const replayed = await queueContextReplay(tx, project, customer, topic!)
    await tx.update(customers).set({ treatment: true }).where(eq(customers.id, customer.id))
    await logAssignment(tx, { projectId: project.id, customerId: customer.id, action: 'treatment_opened', actorUserId: member!.id, reason: 'command' })
    await enqueue(tx, editPrompt(`✅ Treatment topic opened by ${member!.name}${replayed ? ` with the last ${replayed} messages` : ''}.`))
    return { text: 'Treatment topic opened.', alert: false }
  })
  deps.notify()
  return answer
}

/** create_topic, the pinned profile card and the opening notice, all on the topic's destination so they arrive in order. */
async function queueTopicOpening(tx: DbOrTx, project: ProjectRuntime, topic: Topic, card: string, openedBy: string): Promise<void> {
  const target = { kind: 'topic' as const, topicId: topic.id }
  const base = { projectId: project.id, lane: laneForTopic(topic.role), destination: destinationKey(target), botId: botForRole(project, topic.role).id }
  await enqueue(tx, { ...base, job: { type: 'create_topic', topicId: topic.id } })
  await enqueue(tx, { ...base, job: { type: 'text', target, text: card, purpose: { kind: 'profile_card', topicId: topic.id, pin: true } } })
  await enqueue(tx, { ...base, job: { type: 'text', target, text: `🩺 Treatment opened by ${openedBy}.` } })
}
