import { and, eq, lte, max, sql } from 'drizzle-orm'
import { retryTransient } from '../../db/errors.js'
import { accounts, customers, reassignments, topics } from '../../db/schema/index.js'
import { destinationKey } from '../../delivery/jobs.js'
import { enqueue } from '../../delivery/outbox.js'
import { logAssignment } from '../assignment-log.js'
import { activeTopics, customerName, findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { queueClientText } from '../onboarding/notify-client.js'
import { profileCard } from '../onboarding/open-topics.js'
import { botForRole, fillTemplate, staffMember, type ProjectRuntime } from '../project-runtime.js'
import { historyToReplay, queueHistoryReplay } from './replay.js'
import type { Reassignment } from './schedule.js'

export type ExecuteOutcome = 'done' | 'skipped' | 'failed'

/** Runs every reassignment of the project that is due now. Only one process calls this at a time (cron lock). */
export async function runDueReassignments(deps: DomainDeps, project: ProjectRuntime, now = new Date()): Promise<number> {
  const due = await deps.db
    .select({ id: reassignments.id })
    .from(reassignments)
    .where(and(eq(reassignments.projectId, project.id), eq(reassignments.state, 'scheduled'), lte(reassignments.dueAt, now)))
    .orderBy(reassignments.dueAt)
  let done = 0
  for (const { id } of due) if ((await executeReassignment(deps, project, id)) === 'done') done++
  return done
}

/**
 * Moves a customer to the new CR team in one transaction: a new topic with its profile card,
 * the history replayed into it (in order, labelled, through the CR-reassignment lane), routing
 * switched, the old topic told and closed after the replay, CS notified, the move logged. As
 * one transaction it either happened entirely or not at all; the outbox then delivers it.
 * Live messages queued after the commit land after the replayed history (same destination).
 */
export async function executeReassignment(deps: DomainDeps, project: ProjectRuntime, reassignmentId: number): Promise<ExecuteOutcome> {
  const settings = project.config.reassignment
  const outcome = await retryTransient(() => deps.db.transaction(async (tx): Promise<ExecuteOutcome> => {
    const [plan] = await tx.select().from(reassignments).where(eq(reassignments.id, reassignmentId)).for('update')
    if (!plan || plan.state !== 'scheduled') return 'skipped'
    const fail = async (error: string) => {
      await tx.update(reassignments).set({ state: 'failed', openSlot: null, error }).where(eq(reassignments.id, plan.id))
      return 'failed' as const
    }
    const team = project.config.groups.cr.find((t) => t.key === plan.toTeam)
    const customer = await findCustomer(tx, plan.customerId)
    if (!team) return fail(`CR team "${plan.toTeam}" no longer exists in the configuration`)
    if (!customer || customer.state !== 'active') return fail('the customer is not active')
    if (customer.crTeam === team.key) return fail(`the customer is already with ${team.title}`)
    const [account] = customer.accountId ? await tx.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
    if (!account) return fail('the customer has no account record')
    // Lock the customer so no live message is queued between the switch and the replay.
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customer.id)).for('update')

    const oldTopic = (await activeTopics(tx, customer.id)).find((t) => t.role === 'cr')
    const [generation] = await tx.select({ value: max(topics.generation) }).from(topics).where(and(eq(topics.customerId, customer.id), eq(topics.role, 'cr')))
    const [created] = await tx.insert(topics).values({
      projectId: project.id,
      customerId: customer.id,
      role: 'cr',
      teamKey: team.key,
      chatId: team.chatId,
      name: oldTopic?.name ?? `${customerName(customer)} · ${account.externalId}`,
      generation: (generation?.value ?? 0) + 1,
    })
    const newTopicId = Number(created.insertId)
    const [newTopic] = await tx.select().from(topics).where(eq(topics.id, newTopicId))
    const crBot = botForRole(project, 'cr').id
    const target = { kind: 'topic' as const, topicId: newTopicId }
    const base = { projectId: project.id, lane: 'cr_reassignment' as const, destination: destinationKey(target), botId: crBot }
    const who = plan.requestedBy ? (staffMember(project, plan.requestedBy)?.name ?? `user ${plan.requestedBy}`) : 'the account records'
    const fromTitle = project.config.groups.cr.find((t) => t.key === plan.fromTeam)?.title ?? (plan.fromTeam || '—')
    await enqueue(tx, { ...base, job: { type: 'create_topic', topicId: newTopicId } })
    const card = profileCard(customer, account, { crTeam: team.key, treatment: customer.treatment, decidedBy: { id: 0, name: '' } }, 'cr', project.config.relay.notePrefix)
    await enqueue(tx, { ...base, job: { type: 'text', target, text: card, purpose: { kind: 'profile_card', topicId: newTopicId, pin: true } } })
    const history = await historyToReplay(tx, customer.id, settings.replay)
    await enqueue(tx, { ...base, job: { type: 'text', target, text: `🔀 Moved here from ${fromTitle} by ${who}. The conversation so far follows (${history.length} messages).` } })
    const lastReplayed = await queueHistoryReplay(tx, project, customer, newTopic!, history)
    await enqueue(tx, { ...base, job: { type: 'text', target, text: '— End of history. New messages follow. —' } })

    if (oldTopic) {
      await tx.update(topics).set({ state: 'retired' }).where(eq(topics.id, oldTopic.id))
      const oldTarget = { kind: 'topic' as const, topicId: oldTopic.id }
      const old = { projectId: project.id, lane: 'cr_reassignment' as const, destination: destinationKey(oldTarget), botId: crBot, dependsOn: lastReplayed }
      await enqueue(tx, { ...old, job: { type: 'text', target: oldTarget, text: `➡️ Moved to ${team.title} by ${who}. This topic is ${settings.oldTopic === 'delete' ? 'deleted' : 'closed'}; the conversation continues there.` } })
      await enqueue(tx, { ...old, job: { type: settings.oldTopic === 'delete' ? 'delete_topic' : 'close_topic', topicId: oldTopic.id } })
    }
    // The records' hint as of now counts as seen: the records sync acts only on later changes.
    await tx.update(customers).set({ crTeam: team.key, crTeamHintSeen: account.crTeamHint }).where(eq(customers.id, customer.id))
    const csTopic = (await activeTopics(tx, customer.id)).find((t) => t.role === 'cs')
    if (csTopic) {
      const csTarget = { kind: 'topic' as const, topicId: csTopic.id }
      await enqueue(tx, { projectId: project.id, lane: 'cs_prompts', destination: destinationKey(csTarget), botId: botForRole(project, 'cs').id, job: { type: 'text', target: csTarget, text: `🔀 ${customerName(customer)} moved from ${fromTitle} to ${team.title} by ${who}.` } })
    }
    if (settings.notifyClient) await queueClientText(tx, project, customer.telegramUserId, fillTemplate(settings.clientTemplate, { name: customer.firstName, team: team.title }))
    await logAssignment(tx, { projectId: project.id, customerId: customer.id, action: 'reassigned', fromTeam: plan.fromTeam || null, toTeam: team.key, actorUserId: plan.requestedBy, reason: plan.source === 'records' ? 'by records' : 'in bot' })
    await tx
      .update(reassignments)
      .set({ state: 'done', openSlot: null, oldTopicId: oldTopic?.id, newTopicId, replayedUpTo: history.at(-1)?.id ?? null, updatedAt: sql`CURRENT_TIMESTAMP(3)` })
      .where(eq(reassignments.id, plan.id))
    return 'done'
  }))
  if (outcome !== 'skipped') deps.notify()
  deps.logger.info({ reassignmentId, outcome }, 'reassignment executed')
  return outcome
}

export type { Reassignment }
