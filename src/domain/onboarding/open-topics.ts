import { and, asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { auditLog, customers, messages, topics } from '../../db/schema/index.js'
import type { AccountRecord } from '../accounts/directory.js'
import { customerName, type Customer } from '../customers.js'
import { memberName, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { homeRole } from '../roles.js'
import { groupsAtAssignment } from '../routing.js'
import { relayHeldAtAssignment } from '../relay/pipeline.js'
import { queueTopicOpening } from '../topic-notices.js'
import { startWait } from '../sla/waits.js'
import { queueClientText } from './notify-client.js'
import { startPayloadLine } from './start.js'
import { usernameArgs } from './assignment-card.js'
import { customerSource, originLines } from '../links/attribution.js'
import { reassignMenuKeyboard } from '../buttons/reassign.js'
import { logAssignment } from '../assignment-log.js'
import { NO_EXTRAS, profileExtrasLines, type ProfileExtras } from '../crm/profile-extras.js'
import { projectRow } from '../../db/project-scope.js'
import { clientLanguageOf } from '../translation/language.js'

export interface Assignment {
  crTeam: string
  treatment: boolean
  decidedBy: { id: number; name: string }
}

/** Topic name shown in the staff group: "Customer name · account id" (Telegram allows 128 chars). */
export function topicName(customer: Customer, account: AccountRecord): string {
  return `${customerName(customer)} · ${account.externalId}`.slice(0, 128)
}

/**
 * Gives an assigned customer their topics (CS, the chosen CR team, Treatment when wanted),
 * each with a pinned profile card and a notice, welcomes the client, and replays the
 * messages they sent while waiting, which wait for an answer from `decidedAt` (the domain's
 * clock). Runs inside the assignment's transaction.
 */
export async function openCustomerTopics(tx: DbOrTx, project: ProjectRuntime, customer: Customer, account: AccountRecord, assignment: Assignment, decidedAt: Date): Promise<void> {
  const wanted = groupsAtAssignment(project, assignment)
  const home = homeRole(project.roles).key
  const name = topicName(customer, account)
  const extras = { ...NO_EXTRAS, source: await customerSource(tx, { projectId: project.id }, textsOf(project), customer.id) }
  for (const group of wanted) {
    const [inserted] = await tx
      .insert(topics)
      .ignore()
      // Opening is activity: the first client message need not touch it again (idle closing
      // counts from `COALESCE(last_activity_at, created_at)`, so this changes no close).
      .values(projectRow(topics, project.id, { customerId: customer.id, role: group.role, teamKey: group.teamKey, chatId: group.chatId, name, lastActivityAt: decidedAt }))
    if (inserted.affectedRows === 0) continue // already there: creation is idempotent
    const topicId = Number(inserted.insertId)
    const notice = textsOf(project).staff('topicNotice', { name: customerName(customer), accountId: account.externalId, decidedBy: assignment.decidedBy.name })
    await queueTopicOpening(
      tx,
      project,
      { id: topicId, role: group.role },
      {
        card: profileCard(project, customer, account, assignment, group.role, extras),
        // CS leads move the customer between CR teams from the home topic's card.
        ...(group.role === home ? { cardMarkup: reassignMenuKeyboard(project, customer.id) } : {}),
        notice,
      },
    )
  }
  await tx
    .update(customers)
    .set({ state: 'active', crTeam: assignment.crTeam, crTeamHintSeen: account.crTeamHint, treatment: assignment.treatment })
    .where(eq(customers.id, customer.id))
  await tx.insert(auditLog).values(
    projectRow(auditLog, project.id, {
      actorUserId: assignment.decidedBy.id,
      action: 'assigned',
      customerId: customer.id,
      details: JSON.stringify({ crTeam: assignment.crTeam, treatment: assignment.treatment }),
    }),
  )
  await logAssignment(tx, {
    projectId: project.id,
    customerId: customer.id,
    action: 'onboarded',
    toTeam: assignment.crTeam,
    actorUserId: assignment.decidedBy.id,
    reason: assignment.treatment ? 'onboarding card, with Treatment' : 'onboarding card',
  })
  await queueClientText(tx, project, customer.telegramUserId, textsOf(project).client(clientLanguageOf(customer), 'welcomeClient', { name: customer.firstName }))
  const firstHeld = await replayHeldMessages(tx, project, customer, decidedAt)
  if (firstHeld) await startWait(tx, project, customer, firstHeld, decidedAt)
}

/** The pinned card of a customer's topic: who they are, their account and assignment, tags and latest notes, how to answer. */
export function profileCard(project: ProjectRuntime, customer: Customer, account: AccountRecord, assignment: Assignment, role: string, crm: ProfileExtras = NO_EXTRAS): string {
  const t = textsOf(project)
  return [
    t.staff('profileName', { name: customerName(customer), ...usernameArgs(customer.username) }),
    t.staff('cardAccount', { accountId: account.externalId, accountName: account.displayName }),
    t.staff('cardEmail', { email: account.email }),
    t.staff('profileTelegramId', { telegramId: customer.telegramUserId }),
    t.staff('profileTeam', { team: assignment.crTeam, treatment: assignment.treatment ? 'yes' : 'no' }),
    ...(customer.ownerUserId ? [t.staff('profileOwner', { owner: memberName(project, customer.ownerUserId) })] : []),
    ...originLines(t, crm.source, startPayloadLine(customer.startPayload)),
    ...profileExtrasLines(project, crm),
    role === homeRole(project.roles).key ? t.staff('profileHowToAnswerWithNotes', { notePrefix: project.config.relay.notePrefix }) : t.staff('profileHowToAnswer'),
  ].join('\n')
}

/**
 * Messages stored while the customer waited for assignment go out now, in order, through the
 * relay pipeline; returns the first relayed one's row id.
 */
async function replayHeldMessages(tx: DbOrTx, project: ProjectRuntime, customer: Customer, decidedAt: Date): Promise<number | undefined> {
  const held = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.customerId, customer.id), eq(messages.held, true)))
    .orderBy(asc(messages.id))
    .for('update') // a locking read sees messages committed after this transaction began
  let first: number | undefined
  for (const message of held) {
    const outcome = await relayHeldAtAssignment(tx, decidedAt, project, customer, message)
    if (outcome.kind === 'relayed') first ??= message.id
  }
  return first
}
