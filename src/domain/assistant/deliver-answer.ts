import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import type { MessageEntity } from '../../delivery/jobs.js'
import { accounts, assistantAnswers, customers } from '../../db/schema/index.js'
import { inProject } from '../../db/project-scope.js'
import { sendAutoAnswer } from '../autoreply/auto-answer.js'
import { activeTopics, type Customer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { homeRole, ownersRole } from '../roles.js'
import { noticeToTopics, queueTopicText } from '../topic-notices.js'
import { findRiskPhrase } from '../risk/matcher.js'
import { riskBookOf } from '../risk/phrases.js'
import { answerBlocker, assistantHandedOver, isLatestClientMessage, recordAnswer } from './answers.js'
import type { CustomerField } from '../../config/assistant-modes.js'

/**
 * The customer fields the project lets the assistant see (`assistant.customerFields`, default
 * none), and nothing else: no email, no account data unless listed. Undefined values are left out.
 */
export async function allowedCustomerFields(db: DbOrTx, project: ProjectRuntime, customer: Customer): Promise<Partial<Record<CustomerField, string>>> {
  const allowed = new Set(project.config.assistant?.customerFields ?? [])
  if (allowed.size === 0) return {}
  const fields: Partial<Record<CustomerField, string>> = {}
  const put = (key: CustomerField, value: string | null | undefined) => {
    if (allowed.has(key) && value) fields[key] = value
  }
  put('firstName', customer.firstName)
  put('languageCode', customer.languageCode)
  put('crTeam', customer.crTeam)
  if (customer.accountId && (allowed.has('accountName') || allowed.has('accountEmail') || allowed.has('accountExternalId'))) {
    const [account] = await db.select().from(accounts).where(eq(accounts.id, customer.accountId))
    put('accountName', account?.displayName)
    put('accountEmail', account?.email)
    put('accountExternalId', account?.externalId)
  }
  return fields
}

/**
 * Sends an automatic answer (the provider has written it): unless a person wrote meanwhile, the
 * client was handed over, the message was answered or superseded, or the answer trips one of the
 * project's risk phrases (the topics are told which), it is recorded, sent to the client with
 * "Talk to a person" through the outbox, and shown in the topics as "🤖 …" with its sources.
 * Returns the answer's id, or why not.
 */
export async function deliverAutomaticAnswer(
  deps: DomainDeps,
  project: ProjectRuntime,
  answer: { customerId: number; messageRowId: number; text: string; sources: string[]; confident: boolean },
): Promise<{ answerId: number } | { skipped: string }> {
  const outcome = await deps.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, answer.customerId)).for('update')
    const blocker = await answerBlocker(tx, project, customer, deps.clock.now())
    if (blocker) return { skipped: blocker }
    // A job run twice (a retry, an expired lease) answers once: the customer row's lock orders the runs.
    if (await answered(tx, project, answer.messageRowId)) return { skipped: 'answered' }
    if (!(await isLatestClientMessage(tx, answer.customerId, answer.messageRowId))) return { skipped: 'superseded' }
    const t = textsOf(project)
    // The project's risk phrases hold for the assistant too; nobody can confirm, so any hit keeps it back.
    const hit = findRiskPhrase(riskBookOf(project), answer.text)
    if (hit) {
      const replyTo = { originalMessageRowId: answer.messageRowId }
      await noticeToTopics(tx, project, answer.customerId, { text: t.staff('assistantAnswerRiskBlocked', { phrase: hit.name }), replyTo })
      return { skipped: 'risk_phrase' }
    }
    const answerId = await recordAnswer(tx, project, answer)
    const staffNote = answer.sources.length ? t.staff('assistantAnswerSources', { sources: answer.sources.join(', ') }) : t.staff('assistantAnswerNoSources')
    await sendAutoAnswer(tx, project, customer!, { text: answer.text, replyToRowId: answer.messageRowId, staffNote })
    return { answerId }
  })
  if ('answerId' in outcome || outcome.skipped === 'risk_phrase') deps.notify()
  return outcome
}

/** Whether the message already has an automatic answer. */
async function answered(tx: DbOrTx, project: ProjectRuntime, messageRowId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: assistantAnswers.id })
    .from(assistantAnswers)
    .where(inProject(assistantAnswers, project.id, eq(assistantAnswers.messageRowId, messageRowId)))
    .limit(1)
  return row !== undefined
}

/**
 * "Talk to a person" after an automatic answer: the assistant stops for the conversation until it is
 * resolved, and the owner is pinged in their topic (a mention, so Telegram notifies them).
 */
export async function handOverFromAssistant(tx: DbOrTx, project: ProjectRuntime, customer: Customer, now: Date): Promise<void> {
  if (!project.config.assistant || !(await assistantHandedOver(tx, project, customer.id, now))) return
  const t = textsOf(project)
  const active = await activeTopics(tx, customer.id)
  const topic = active.find((c) => c.role === ownersRole(project.roles)?.key) ?? active.find((c) => c.role === homeRole(project.roles).key)
  if (!topic) return
  if (!customer.ownerUserId) {
    await queueTopicText(tx, project, topic, t.staff('assistantHandoverNoOwner'))
    return
  }
  const owner = { id: customer.ownerUserId, name: staffMember(project, customer.ownerUserId)?.name ?? t.staff('ownerCapital') }
  const { text, marks } = t.staffMarked('assistantHandover', {}, { owner: owner.name })
  const entities: MessageEntity[] = marks.map((mark) => ({
    type: 'text_mention',
    offset: mark.offset,
    length: mark.length,
    user: { id: owner.id, is_bot: false, first_name: owner.name },
  }))
  await queueTopicText(tx, project, topic, text, { entities })
}
