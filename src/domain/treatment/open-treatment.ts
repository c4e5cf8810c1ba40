import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { accounts, customers, topics } from '../../db/schema/index.js'
import { logAssignment } from '../assignment-log.js'
import { findCustomer } from '../customers.js'
import { enqueueTo } from '../enqueue-to.js'
import { queueTopicOpening } from '../topic-notices.js'
import type { DomainDeps } from '../deps.js'
import type { PressAnswer } from '../onboarding/decide.js'
import { profileCard, topicName } from '../onboarding/open-topics.js'
import { onDemandRole } from '../roles.js'
import { staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { queueContextReplay } from './context-replay.js'
import type { TreatmentAction } from '../buttons/treatment-prompt.js'
import { isCustomerTopic, NOT_THIS_MESSAGE } from '../button-binding.js'
import { refusalFor } from '../permissions.js'
import { activeTreatmentTopic, nextTreatmentGeneration } from './treatment-topic.js'
import { projectRow } from '../../db/project-scope.js'

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
  const t = textsOf(project)
  const customer = await findCustomer(deps.db, press.action.customerId)
  if (!customer || customer.projectId !== project.id) return { text: t.staff('buttonNoLongerValid'), alert: true }
  // The confirmation acts for the customer whose CS or CR topic it is in, and no other.
  if (
    !(await isCustomerTopic(
      deps.db,
      project,
      press.prompt,
      customer.id,
      project.roles.filter((role) => !role.onDemand).map((role) => role.key),
    ))
  )
    return { text: t.staff(NOT_THIS_MESSAGE), alert: true }
  // The prompt is edited by the bot that posted it, in the prompts stream.
  const editPrompt = (tx: DbOrTx, text: string) =>
    enqueueTo(
      tx,
      project,
      { kind: 'posted', chatId: press.prompt.chatId, botId: press.prompt.botId },
      { type: 'edit_text', chatId: press.prompt.chatId, messageId: press.prompt.messageId, text },
      { stream: 'prompt' },
    )
  if (press.action.action === 'cancel') {
    await deps.db.transaction((tx) => editPrompt(tx, t.staff('treatmentCancelled', { by: member!.name })))
    deps.notify()
    return { text: t.staff('treatmentCancelledAnswer'), alert: false }
  }
  const treatment = onDemandRole(project.roles)
  const group = treatment.groups(project.config)[0]
  if (!group || !project.bots[treatment.key]?.length) return { text: t.staff('treatmentNoGroup'), alert: true }
  const [account] = customer.accountId ? await deps.db.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
  if (customer.state !== 'active' || !account) return { text: t.staff('notOnboarded'), alert: true }

  const answer = await deps.db.transaction(async (tx): Promise<PressAnswer> => {
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customer.id)).for('update')
    if (await activeTreatmentTopic(tx, project, customer.id)) return { text: t.staff('treatmentAlreadyOpen'), alert: true }
    const generation = await nextTreatmentGeneration(tx, project, customer.id)
    const [inserted] = await tx.insert(topics).values(
      projectRow(topics, project.id, {
        customerId: customer.id,
        role: treatment.key,
        teamKey: group.teamKey,
        chatId: group.chatId,
        name: topicName(customer, account),
        generation,
        lastActivityAt: deps.clock.now(),
      }),
    )
    const [topic] = await tx
      .select()
      .from(topics)
      .where(eq(topics.id, Number(inserted.insertId)))
    const card = profileCard(project, customer, account, { crTeam: customer.crTeam ?? '—', treatment: true, decidedBy: { id: member!.id, name: member!.name } }, treatment.key)
    await queueTopicOpening(tx, project, topic!, { card, notice: t.staff('treatmentOpenedNotice', { by: member!.name }) })
    const replayed = await queueContextReplay(tx, project, customer, topic!, deps.clock.now())
    await tx.update(customers).set({ treatment: true }).where(eq(customers.id, customer.id))
    await logAssignment(tx, { projectId: project.id, customerId: customer.id, action: 'treatment_opened', actorUserId: member!.id, reason: 'command' })
    await editPrompt(tx, t.staff('treatmentOpenedPrompt', { by: member!.name, replayed }))
    return { text: t.staff('treatmentOpenedAnswer'), alert: false }
  })
  deps.notify()
  return answer
}
