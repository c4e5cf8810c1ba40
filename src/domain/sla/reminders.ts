import { and, asc, eq, isNotNull, lt, lte, or } from 'drizzle-orm'
import { inProject, inProjects } from '../../db/project-scope.js'
import type { MessageEntity } from '../../delivery/jobs.js'
import type { DbOrTx } from '../../db/client.js'
import { customers, relayLinks, unansweredWaits } from '../../db/schema/index.js'
import { activeTopics, customerName, type Customer, type Topic } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { queueOnboardingText } from '../onboarding/system-topic.js'
import { staffMember, teamsOf, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { topicLink } from '../crm/find.js'
import { homeRole, ownersRole } from '../roles.js'
import { queueTopicText } from '../topic-notices.js'
import { addBusinessMinutes } from './business-hours.js'
import { resolvedSince, waitOf, type UnansweredWait } from './waits.js'

/** Waits looked at per project and run; the next run takes the rest. */
const BATCH = 500
/** Reminder stages, in the order they fire: the owner pinged in the CR topic, then the CS leads told. */
export const REMINDER_STAGES = ['reminder', 'escalation'] as const
export type ReminderStage = (typeof REMINDER_STAGES)[number]

/**
 * The projects with SLA on that have a wait old enough for a first reminder or escalation (business minutes
 * never pass faster than wall-clock ones): one statement for all of them, projects grouped by
 * their first reminder's minutes (the job runs every minute; its idle cost must not grow with the projects).
 */
export async function projectsWithDueWaits(db: DbOrTx, projects: readonly ProjectRuntime[], now: Date): Promise<ProjectRuntime[]> {
  const byMinutes = new Map<number, number[]>()
  for (const p of projects) {
    if (!p.config.sla.enabled) continue
    const minutes = Math.min(p.config.sla.firstReminderMinutes, p.config.sla.escalateMinutes)
    byMinutes.set(minutes, [...(byMinutes.get(minutes) ?? []), p.id])
  }
  if (byMinutes.size === 0) return []
  const rows = await db
    .selectDistinct({ projectId: unansweredWaits.projectId })
    .from(unansweredWaits)
    .where(
      and(
        isNotNull(unansweredWaits.messageRowId),
        lt(unansweredWaits.remindersSent, REMINDER_STAGES.length),
        or(...[...byMinutes].map(([minutes, ids]) => inProjects(unansweredWaits, ids, lte(unansweredWaits.waitingSince, new Date(now.getTime() - minutes * 60_000))))),
      ),
    )
  const due = new Set(rows.map((r) => r.projectId))
  return projects.filter((p) => due.has(p.id))
}

/**
 * Fires the reminders that are due for the project's unanswered client messages: after
 * `sla.firstReminderMinutes` of business time the owner is pinged in the customer's CR topic
 * (a mention, so Telegram notifies them), after `sla.escalateMinutes` the CS leads are told in
 * the Onboarding topic. Each stage fires once per unanswered message: a guarded UPDATE of the
 * wait row, in the transaction that queues the message, so concurrent runs cannot both fire it.
 */
export async function sendDueReminders(deps: Pick<DomainDeps, 'db' | 'logger' | 'notify' | 'clock'>, project: ProjectRuntime): Promise<Record<ReminderStage, number>> {
  const fired = { reminder: 0, escalation: 0 }
  const sla = project.config.sla
  if (!sla.enabled) return fired
  const now = deps.clock.now()
  const waiting = await deps.db
    .select({ wait: unansweredWaits, customer: customers })
    .from(unansweredWaits)
    .innerJoin(customers, eq(customers.id, unansweredWaits.customerId))
    .where(
      inProject(
        unansweredWaits,
        project.id,
        inProject(customers, project.id),
        isNotNull(unansweredWaits.messageRowId),
        lt(unansweredWaits.remindersSent, REMINDER_STAGES.length),
        lt(unansweredWaits.waitingSince, now),
      ),
    )
    .orderBy(asc(unansweredWaits.waitingSince))
    .limit(BATCH)
  for (const { wait, customer } of waiting) {
    if (resolvedSince(customer, wait.waitingSince)) {
      await endResolvedWait(deps.db, project, wait) // resolved after it arrived: nothing is expected
      continue
    }
    const dueStages = [sla.firstReminderMinutes, sla.escalateMinutes].filter((minutes) => addBusinessMinutes(wait.waitingSince!, minutes, sla.businessHours) <= now).length
    if (dueStages <= wait.remindersSent) continue
    const stages = await deps.db.transaction(async (tx) => {
      const [won] = await tx
        .update(unansweredWaits)
        .set({ remindersSent: dueStages })
        .where(and(waitOf(project.id, customer.id), eq(unansweredWaits.messageRowId, wait.messageRowId!), eq(unansweredWaits.remindersSent, wait.remindersSent)))
      if (won.affectedRows === 0) return [] // answered or fired meanwhile
      const firing = REMINDER_STAGES.slice(wait.remindersSent, dueStages)
      for (const stage of firing) await queueReminder(tx, project, customer, wait, stage)
      return firing
    })
    for (const stage of stages) fired[stage]++
    if (stages.length > 0) deps.logger.info({ project: project.config.key, customerId: customer.id, messageRowId: wait.messageRowId, stages }, 'unanswered reminder')
  }
  if (fired.reminder + fired.escalation > 0) deps.notify()
  return fired
}

async function queueReminder(tx: DbOrTx, project: ProjectRuntime, customer: Customer, wait: UnansweredWait, stage: ReminderStage): Promise<void> {
  const { sla } = project.config
  const name = customerName(customer)
  const t = textsOf(project)
  const owner = customer.ownerUserId ? { id: customer.ownerUserId, name: staffMember(project, customer.ownerUserId)?.name ?? t.staff('ownerCapital') } : undefined
  const minutes = (n: number) => t.staff('slaMinutes', { minutes: n, businessHours: sla.businessHours ? 'yes' : 'no' })
  const active = await activeTopics(tx, customer.id)
  if (stage === 'escalation') {
    const team = teamsOf(project).find((t) => t.key === customer.crTeam)?.title ?? customer.crTeam
    const home = active.find((candidate) => candidate.role === homeRole(project.roles).key && candidate.threadId)
    const escalation = t.staff('slaEscalation', {
      name,
      hasTeam: team ? 'yes' : 'no',
      team: team ?? '',
      waited: minutes(sla.escalateMinutes),
      hasOwner: owner ? 'yes' : 'no',
      owner: owner?.name ?? '',
    })
    await queueOnboardingText(tx, project, [escalation, ...(home?.threadId ? [topicLink(home.chatId, home.threadId)] : [])].join('\n'))
    return
  }
  // The owner works in the customer's CR topic (or, should it be gone, their CS topic).
  // Where the owner works (CR), else the home topic.
  const topic = active.find((candidate) => candidate.role === ownersRole(project.roles)?.key) ?? active.find((candidate) => candidate.role === homeRole(project.roles).key)
  if (!topic) return
  const link = await copyIn(tx, project, wait.messageRowId!, topic)
  const replyTo = link ? { linkId: link } : undefined
  if (!owner) {
    await queueTopicText(tx, project, topic, t.staff('slaReminderNoOwner', { waited: minutes(sla.firstReminderMinutes), name }), { replyTo })
    return
  }
  const { text, marks } = t.staffMarked('slaReminder', { waited: minutes(sla.firstReminderMinutes) }, { owner: owner.name })
  // A text_mention notifies the owner even without a username (core.telegram.org/bots/api#messageentity); offsets count UTF-16 units, as JS strings do.
  const mentions: MessageEntity[] = marks.map((mark) => ({
    type: 'text_mention',
    offset: mark.offset,
    length: mark.length,
    user: { id: owner.id, is_bot: false, first_name: owner.name },
  }))
  await queueTopicText(tx, project, topic, text, { replyTo, entities: mentions })
}

/** A resolve after the waiting message ends the wait (guarded: a newer message may have started another). */
async function endResolvedWait(db: DbOrTx, project: ProjectRuntime, wait: UnansweredWait): Promise<void> {
  await db
    .update(unansweredWaits)
    .set({ messageRowId: null, waitingSince: null, remindersSent: 0 })
    .where(and(waitOf(project.id, wait.customerId), eq(unansweredWaits.messageRowId, wait.messageRowId!)))
}

/** The relay link of a message's copy in a topic, to answer it there. */
async function copyIn(tx: DbOrTx, project: ProjectRuntime, messageRowId: number, topic: Topic): Promise<number | undefined> {
  const [link] = await tx
    .select({ id: relayLinks.id })
    .from(relayLinks)
    .where(inProject(relayLinks, project.id, eq(relayLinks.messageId, messageRowId), eq(relayLinks.topicId, topic.id)))
    .limit(1)
  return link?.id
}
