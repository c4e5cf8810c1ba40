import { and, eq, lte, max, sql } from 'drizzle-orm'
import { inProjects, projectRow } from '../../db/project-scope.js'
import { queueSummary } from '../assistant/summaries.js'
import { retryTransient } from '../../db/errors.js'
import { accounts, customers, reassignments, topics } from '../../db/schema/index.js'
import { logAssignment } from '../assignment-log.js'
import { customerName, findCustomer } from '../customers.js'
import { enqueueTo } from '../enqueue-to.js'
import { homeRole, teamsRole } from '../roles.js'
import { activeTopicOfRole } from '../routing.js'
import { queueTopicOpening, queueTopicText } from '../topic-notices.js'
import type { DomainDeps } from '../deps.js'
import { queueClientText } from '../onboarding/notify-client.js'
import { profileCard } from '../onboarding/open-topics.js'
import { staffMember, teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { lockRouting, routeOwner } from '../owners/route-owner.js'
import { historyToReplay, queueHistoryReplay } from './replay.js'
import type { Reassignment } from './schedule.js'
import { clientLanguageOf } from '../translation/language.js'

export type ExecuteOutcome = 'done' | 'skipped' | 'failed'

/**
 * Runs every reassignment due now, of every project, found with one statement (the job runs every
 * minute: its idle cost must not grow with the projects). Only one process calls this at a time (cron lock).
 */
export async function runAllDueReassignments(deps: DomainDeps, projects: readonly ProjectRuntime[], now = deps.clock.now()): Promise<number> {
  if (projects.length === 0) return 0
  const due = await deps.db
    .select({ id: reassignments.id, projectId: reassignments.projectId })
    .from(reassignments)
    .where(
      inProjects(
        reassignments,
        projects.map((p) => p.id),
        eq(reassignments.state, 'scheduled'),
        lte(reassignments.dueAt, now),
      ),
    )
    .orderBy(reassignments.dueAt)
  let done = 0
  for (const { id, projectId } of due) {
    const project = projects.find((p) => p.id === projectId)
    if (project && (await executeReassignment(deps, project, id)) === 'done') done++
  }
  return done
}

/**
 * Moves a customer to the new CR team in one transaction: a new topic with its profile card,
 * the history replayed into it (in order, labelled, in the replay priority class), routing
 * switched, the old topic told and closed after the replay, CS notified, the move logged. As
 * one transaction it either happened entirely or not at all; the outbox then delivers it.
 * Live messages queued after the commit land after the replayed history (same destination).
 */
export async function executeReassignment(deps: DomainDeps, project: ProjectRuntime, reassignmentId: number): Promise<ExecuteOutcome> {
  const settings = project.config.reassignment
  const startedAt = performance.now()
  const outcome = await retryTransient(() =>
    deps.db.transaction(async (tx): Promise<ExecuteOutcome> => {
      const [plan] = await tx.select().from(reassignments).where(eq(reassignments.id, reassignmentId)).for('update')
      if (!plan || plan.state !== 'scheduled') return 'skipped'
      // The owner is chosen anew in the new team (below): the routing lock comes before any plain read.
      await lockRouting(tx, project)
      // Lock the customer before any plain read: InnoDB takes the transaction's snapshot at its first
      // plain read, and a snapshot taken before the lock would miss a live message committed while
      // this move waited for it (routed to the old topic, left out of the replay: lost to the new one).
      await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, plan.customerId)).for('update')
      const fail = async (error: string) => {
        await tx.update(reassignments).set({ state: 'failed', openSlot: null, error }).where(eq(reassignments.id, plan.id))
        return 'failed' as const
      }
      const team = teamsOf(project).find((t) => t.key === plan.toTeam)
      const customer = await findCustomer(tx, plan.customerId)
      const t = textsOf(project)
      if (!team) return fail(t.staff('moveFailedTeamGone', { team: plan.toTeam }))
      if (!customer || customer.state !== 'active') return fail(t.staff('moveFailedNotActive'))
      if (customer.crTeam === team.key) return fail(t.staff('moveFailedAlreadyThere', { team: team.title }))
      const [account] = customer.accountId ? await tx.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
      if (!account) return fail(t.staff('moveFailedNoAccount'))

      const teams = teamsRole(project.roles).key
      const oldTopic = await activeTopicOfRole(tx, customer.id, teams)
      const [generation] = await tx
        .select({ value: max(topics.generation) })
        .from(topics)
        .where(and(eq(topics.customerId, customer.id), eq(topics.role, teams)))
      const [created] = await tx.insert(topics).values(
        projectRow(topics, project.id, {
          customerId: customer.id,
          role: teams,
          teamKey: team.key,
          chatId: team.chatId,
          name: oldTopic?.name ?? `${customerName(customer)} · ${account.externalId}`,
          generation: (generation?.value ?? 0) + 1,
        }),
      )
      const newTopicId = Number(created.insertId)
      const [newTopic] = await tx.select().from(topics).where(eq(topics.id, newTopicId))
      // The move, its replay and the old topic's cleanup travel in the replay stream, apart from live traffic.
      const replay = { stream: 'replay' } as const
      const who = plan.requestedBy ? (staffMember(project, plan.requestedBy)?.name ?? t.staff('userById', { id: plan.requestedBy })) : t.staff('theAccountRecords')
      const fromTitle = teamsOf(project).find((t) => t.key === plan.fromTeam)?.title ?? (plan.fromTeam || '—')
      // The owner is chosen in the new team below; the card is edited to name them once posted.
      const card = profileCard(project, { ...customer, ownerUserId: null }, account, { crTeam: team.key, treatment: customer.treatment, decidedBy: { id: 0, name: '' } }, teams)
      const history = await historyToReplay(tx, customer.id, settings.replay, deps.clock.now())
      await queueTopicOpening(tx, project, newTopic!, { card, notice: t.staff('movedHere', { from: fromTitle, who, count: history.length }) }, replay)
      const lastReplayed = await queueHistoryReplay(tx, project, customer, newTopic!, history, deps.clock.now())
      await queueTopicText(tx, project, newTopic!, t.staff('endOfHistory'), {}, replay)
      if (project.config.assistant?.summaries.onReassign) await queueSummary(tx, project, { customerId: customer.id, topicId: newTopic!.id, occasion: 'reassign' })

      if (oldTopic) {
        await tx.update(topics).set({ state: 'retired' }).where(eq(topics.id, oldTopic.id))
        const afterReplay = { ...replay, dependsOn: lastReplayed }
        await queueTopicText(tx, project, oldTopic, t.staff('movedAway', { team: team.title, who, oldTopic: settings.oldTopic }), {}, afterReplay)
        await enqueueTo(
          tx,
          project,
          { kind: 'topic', topic: oldTopic },
          { type: settings.oldTopic === 'delete' ? 'delete_topic' : 'close_topic', topicId: oldTopic.id },
          afterReplay,
        )
      }
      // The records' hint as of now counts as seen: the records sync acts only on later changes.
      await tx.update(customers).set({ crTeam: team.key, crTeamHintSeen: account.crTeamHint }).where(eq(customers.id, customer.id))
      await routeOwner(tx, project, customer.id, 'reassignment', deps.clock.now())
      const csTopic = await activeTopicOfRole(tx, customer.id, homeRole(project.roles).key)
      if (csTopic)
        await queueTopicText(tx, project, csTopic, t.staff('movedCs', { name: customerName(customer), from: fromTitle, team: team.title, who }), {}, { stream: 'prompt' })
      if (settings.notifyClient)
        await queueClientText(tx, project, customer.telegramUserId, t.client(clientLanguageOf(customer), 'reassignedClient', { name: customer.firstName, team: team.title }))
      await logAssignment(tx, {
        projectId: project.id,
        customerId: customer.id,
        action: 'reassigned',
        fromTeam: plan.fromTeam || null,
        toTeam: team.key,
        actorUserId: plan.requestedBy,
        reason: plan.source === 'records' ? 'by records' : 'in bot',
      })
      await tx
        .update(reassignments)
        .set({ state: 'done', openSlot: null, oldTopicId: oldTopic?.id, newTopicId, replayedUpTo: history.at(-1)?.id ?? null, updatedAt: sql`CURRENT_TIMESTAMP(3)` })
        .where(eq(reassignments.id, plan.id))
      return 'done'
    }),
  )
  if (outcome !== 'skipped') deps.notify()
  deps.logger.info({ reassignmentId, outcome, ms: Math.round(performance.now() - startedAt) }, 'reassignment executed')
  return outcome
}

export type { Reassignment }
