import { and, eq, isNull, lt, or } from 'drizzle-orm'
import { accounts, assignments, customers } from '../../db/schema/index.js'
import { isDuplicateKey } from '../../db/errors.js'
import type { Customer } from '../customers.js'
import { customerName } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { normaliseEmail } from '../accounts/directory.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { cardKeyboard, cardText, usernameArgs } from './assignment-card.js'
import { queueClientText } from './notify-client.js'
import { queueOnboardingText } from './system-topic.js'
import { customerSource } from '../links/attribution.js'
import { scopeOf, projectRow } from '../../db/project-scope.js'

export type EmailOutcome = 'invalid' | 'unknown' | 'cooldown' | 'already_linked' | 'accepted'

/**
 * A client in `awaiting_email` sent some text: validate it against the account records.
 * Failures are counted per window; past the limit the customer is put in a cooldown, so no
 * unvalidated user can make the bot create topics.
 */
export async function submitEmail(deps: DomainDeps, project: ProjectRuntime, customer: Customer, input: string, now = deps.clock.now()): Promise<EmailOutcome> {
  const say = (key: string) => textsOf(project).client(customer.languageCode, key)
  if (customer.cooldownUntil && customer.cooldownUntil > now) {
    await queueClientText(deps.db, project, customer.telegramUserId, say('cooldown'))
    deps.notify()
    return 'cooldown'
  }
  const email = normaliseEmail(input)
  const account = email ? await deps.directory.findByEmail(project.id, email) : undefined
  if (!email || !account || account.status !== 'active') {
    const outcome = await recordFailure(deps, project, customer, now)
    const text = say(outcome === 'cooldown' ? 'cooldown' : email ? 'unknownEmail' : 'invalidEmail')
    await queueClientText(deps.db, project, customer.telegramUserId, text)
    deps.notify()
    return outcome === 'cooldown' ? 'cooldown' : email ? 'unknown' : 'invalid'
  }
  const outcome = await deps.db.transaction(async (tx) => {
    try {
      const [linked] = await tx
        .update(customers)
        .set({ accountId: account.id, state: 'pending_assignment', emailFailures: 0, firstFailureAt: null })
        .where(and(eq(customers.id, customer.id), eq(customers.state, 'awaiting_email')))
      if (linked.affectedRows === 0) return 'accepted' as const
    } catch (error) {
      if (isDuplicateKey(error)) return 'already_linked' as const
      throw error
    }
    const [created] = await tx.insert(assignments).values(projectRow(assignments, project.id, { customerId: customer.id, treatmentToggle: account.treatment }))
    const assignmentId = Number(created.insertId)
    const linkedCustomer = { ...customer, accountId: account.id }
    await queueOnboardingText(tx, project, cardText(project, linkedCustomer, account, await customerSource(tx, scopeOf(project), textsOf(project), customer.id)), {
      replyMarkup: cardKeyboard(project, assignmentId, account.crTeamHint, account.treatment),
      assignmentId,
    })
    await queueClientText(tx, project, customer.telegramUserId, say('pendingAssignment'))
    return 'accepted' as const
  })
  if (outcome === 'already_linked') return refuseLinkedAccount(deps, project, customer, account.id, email, now)
  deps.notify()
  return outcome
}

/** CS hears of attempts on an already linked account at most once an hour per account. */
const LINK_CONFLICT_ALERT_MS = 60 * 60_000

/**
 * Someone gave the email of an account already linked to another Telegram user: refused, and it
 * counts as a failed attempt (so it can't be used to probe accounts without a cooldown). CS is
 * alerted at most once an hour per account: a guarded UPDATE picks the one attempt that alerts.
 */
async function refuseLinkedAccount(deps: DomainDeps, project: ProjectRuntime, customer: Customer, accountId: number, email: string, now: Date): Promise<EmailOutcome> {
  const counted = await recordFailure(deps, project, customer, now)
  const texts = textsOf(project)
  await deps.db.transaction(async (tx) => {
    await queueClientText(tx, project, customer.telegramUserId, texts.client(customer.languageCode, counted === 'cooldown' ? 'cooldown' : 'alreadyLinked'))
    const [claimed] = await tx
      .update(accounts)
      .set({ linkConflictAlertedAt: now })
      .where(and(eq(accounts.id, accountId), or(isNull(accounts.linkConflictAlertedAt), lt(accounts.linkConflictAlertedAt, new Date(now.getTime() - LINK_CONFLICT_ALERT_MS)))))
    if (claimed.affectedRows === 0) return
    const alert = texts.staff('linkConflictAlert', { name: customerName(customer), ...usernameArgs(customer.username), telegramId: customer.telegramUserId, email })
    await queueOnboardingText(tx, project, alert)
  })
  deps.logger.warn({ customerId: customer.id, accountId }, 'account already linked to another Telegram user')
  deps.notify()
  return counted === 'cooldown' ? 'cooldown' : 'already_linked'
}

async function recordFailure(deps: DomainDeps, project: ProjectRuntime, customer: Customer, now: Date): Promise<'counted' | 'cooldown'> {
  const limits = project.config.onboarding
  const windowStart = new Date(now.getTime() - limits.failureWindowMinutes * 60_000)
  const fresh = !customer.firstFailureAt || customer.firstFailureAt < windowStart
  const failures = fresh ? 1 : customer.emailFailures + 1
  if (failures >= limits.maxEmailFailures) {
    await deps.db
      .update(customers)
      .set({ emailFailures: 0, firstFailureAt: null, cooldownUntil: new Date(now.getTime() + limits.cooldownMinutes * 60_000) })
      .where(eq(customers.id, customer.id))
    return 'cooldown'
  }
  await deps.db
    .update(customers)
    .set({ emailFailures: failures, firstFailureAt: fresh ? now : customer.firstFailureAt })
    .where(eq(customers.id, customer.id))
  return 'counted'
}
