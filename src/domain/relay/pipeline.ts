import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { messages, type NotRelayedReason } from '../../db/schema/index.js'
import type { Clock } from '../clock.js'
import { reopenConversation } from '../conversation/resolve.js'
import type { Customer, Topic } from '../customers.js'
import { queueClientText } from '../onboarding/notify-client.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { copyTargetOf, queueRoutedCopies, routeMessage, type CopyRoute, type RoutedMessage, type StaffCopyContext } from '../routing.js'
import { clientMessageRelayed, staffAnswered, type KnownWait } from '../sla/waits.js'
import { queueTopicText, type TopicRef } from '../topic-notices.js'
import { storeHold } from './holds.js'
import { relayPolicies } from './policies/index.js'
import type { CopyTarget, CopyVariant, PolicyVerdict, RelayDraft, RelaySource } from './policies/policy.js'
import { storeMessage, type IncomingMessage } from './store-message.js'
import { queueAssistantWork } from '../assistant/triggers.js'

/** The variant each copy gets from a release (undefined: the original's text). */
export type VariantOf = (copy: CopyTarget) => CopyVariant | undefined

/** Who wrote a message and how its copies go: what the pipeline needs besides the message (a hold keeps it to relay it later). */
export interface RelayContext {
  source: RelaySource
  customer: Customer
  /** A staff message's attribution ("Alice · CS"); the client gets it unless they blocked the bot. */
  attribution?: string
  /** A message typed in a topic: a 'respond' verdict answers it there. */
  typedIn?: { topic: TopicRef; messageId: number }
  /** A client message: what the customer's locking read found (active topics, flood check, running wait). */
  known?: Topic[]
  flooding?: boolean
  wait?: KnownWait
  /** Sent before the customer was assigned, relayed at the assignment (which starts the wait). */
  atAssignment?: boolean
  /**
   * A live client message the policies let through: auto-replies and flows may answer it
   * (`autoreply/engine.ts`), relaying it to the topics themselves, silently; true when they did.
   */
  answerAutomatically?: (stored: MessageRow) => Promise<boolean>
}

/** What the policies decided: the verdict that ended the run (pass when none did), by which policy, and the copies' variants. */
export interface PipelineDecision {
  verdict: Exclude<PolicyVerdict, { kind: 'rewrite' }>
  policy?: string
  /** Index of the policy after the one that ended the run (a release resumes there). */
  next: number
  /** Per copy (in the order the draft listed them), its variant if a policy rewrote it. */
  variants: Array<CopyVariant | undefined>
}

export type PipelineOutcome =
  | { kind: 'duplicate' }
  | { kind: 'relayed'; stored: MessageRow }
  | { kind: 'auto_answered'; stored: MessageRow }
  | { kind: 'held'; stored: MessageRow; token: string; reason: string }
  | { kind: 'dropped'; stored: MessageRow; reason: NotRelayedReason }
  | { kind: 'responded'; stored: MessageRow; text: string }

/**
 * Runs the project's policies over a draft, in order, from `from` (a release resumes after the
 * policy that held). 'pass' and 'rewrite' go on to the next policy; hold, respond and drop end
 * the run. No policy reads the database: a message no policy stops costs no round trip.
 * `released`: the variants a release gives the copies, before the remaining policies run.
 */
export async function runPolicies(draft: RelayDraft, from = 0, released?: VariantOf): Promise<PipelineDecision> {
  const policies = relayPolicies(draft.project)
  // A release may give copies their variants (the policy that held it rewrote them: a translation).
  const variants: Array<CopyVariant | undefined> = draft.copies.map((copy) => released?.(copy))
  for (let i = from; i < policies.length; i++) {
    const policy = policies[i]!
    const verdict = await policy.check(draft)
    if (verdict.kind === 'pass') continue
    if (verdict.kind === 'rewrite') {
      draft.copies.forEach((copy, j) => (variants[j] = verdict.variantOf(copy) ?? variants[j]))
      continue
    }
    return { verdict, policy: policy.name, next: i + 1, variants }
  }
  return { verdict: { kind: 'pass' }, next: policies.length, variants }
}

/**
 * Every new message to relay (a client's, staff text typed in a topic, a canned reply, an API
 * message) goes through here, inside its transaction: routed, judged by the policies, stored
 * (with why it is not relayed, when it is not), then held, answered, dropped or queued.
 */
export async function relayThroughPipeline(
  tx: DbOrTx,
  clock: Clock,
  project: ProjectRuntime,
  context: RelayContext,
  incoming: Omit<IncomingMessage, 'notRelayed'>,
): Promise<PipelineOutcome> {
  const message = incoming.message
  const routed: RoutedMessage = { origin: incoming.origin, customerId: context.customer.id, senderRole: incoming.senderRole ?? null, chatId: message.chat.id }
  const routes = await routeMessage(tx, routed, staffCopyContext(project, context), context.known)
  const text = message.text ?? message.caption ?? ''
  const decision = await runPolicies(draftOf(project, context, incoming.origin, 'message', text, routes.map(copyTargetOf), clock.now()))
  const stored = await storeMessage(tx, { ...incoming, notRelayed: notRelayedBy(decision.verdict) })
  if (!stored) return { kind: 'duplicate' }
  return settle(tx, clock, project, context, stored, routes, decision)
}

/**
 * A held message released (`releaseHold`): the policies after the one that held it run, then it
 * is relayed as if it had passed (or held, answered or dropped by a later policy).
 */
export async function resumeMessage(
  tx: DbOrTx,
  clock: Clock,
  project: ProjectRuntime,
  context: RelayContext,
  stored: MessageRow,
  from: number,
  released?: VariantOf,
): Promise<PipelineOutcome> {
  const routes = await routeMessage(tx, stored, staffCopyContext(project, context))
  const decision = await runPolicies(draftOf(project, context, stored.origin, 'message', stored.text ?? '', routes.map(copyTargetOf), clock.now()), from, released)
  await tx
    .update(messages)
    .set({ notRelayed: notRelayedBy(decision.verdict) ?? null, ...(context.atAssignment ? { held: false } : {}) })
    .where(eq(messages.id, stored.id))
  return settle(tx, clock, project, context, stored, routes, decision)
}

/**
 * A client message stored before the customer was assigned, relayed now that their topics
 * exist: through every policy (the flood limit counts live messages only); a relayed one only
 * gets its copies (the assignment starts the wait).
 */
export function relayHeldAtAssignment(tx: DbOrTx, decidedAt: Date, project: ProjectRuntime, customer: Customer, stored: MessageRow): Promise<PipelineOutcome> {
  return resumeMessage(tx, { now: () => decidedAt }, project, { source: 'client', customer, atAssignment: true }, stored, 0)
}

/** The draft the policies see. */
export function draftOf(
  project: ProjectRuntime,
  context: Pick<RelayContext, 'source' | 'customer' | 'flooding'>,
  origin: 'client' | 'staff',
  change: 'message' | 'edit',
  text: string,
  copies: CopyTarget[],
  now: Date,
): RelayDraft {
  return { project, origin, source: context.source, change, customerId: context.customer.id, customer: context.customer, text, copies, flooding: context.flooding ?? false, now }
}

/** Why a message the verdict stops is stored but not relayed; undefined: it is relayed. */
export function notRelayedBy(verdict: PipelineDecision['verdict']): NotRelayedReason | undefined {
  if (verdict.kind === 'pass') return undefined
  if (verdict.kind === 'drop') return verdict.reason
  return verdict.kind === 'hold' ? 'held' : 'responded'
}

/** Carries out a decision on a stored message. */
async function settle(
  tx: DbOrTx,
  clock: Clock,
  project: ProjectRuntime,
  context: RelayContext,
  stored: MessageRow,
  routes: CopyRoute[],
  decision: PipelineDecision,
): Promise<PipelineOutcome> {
  const { verdict } = decision
  switch (verdict.kind) {
    case 'pass':
      if (!context.atAssignment && (await context.answerAutomatically?.(stored))) return { kind: 'auto_answered', stored }
      await deliver(
        tx,
        clock,
        project,
        context,
        stored,
        routes.map((route, i) => (decision.variants[i] ? { ...route, variant: decision.variants[i] } : route)),
      )
      return { kind: 'relayed', stored }
    case 'drop':
      await verdict.after?.(tx, stored, undefined)
      return { kind: 'dropped', stored, reason: verdict.reason }
    case 'respond':
      await respond(tx, project, context, verdict.text)
      return { kind: 'responded', stored, text: verdict.text }
    case 'hold': {
      const token = await storeHold(tx, project, stored, {
        change: 'message',
        policy: decision.policy ?? 'unknown',
        reason: verdict.reason,
        resume: { next: decision.next, source: context.source, attribution: context.attribution, typedIn: context.typedIn },
      })
      await verdict.after?.(tx, stored, { token })
      return { kind: 'held', stored, token, reason: verdict.reason }
    }
  }
}

/** Queues the copies and does what a relayed message does besides: a client's reopens a resolved conversation and starts a wait; staff's answers it. */
async function deliver(tx: DbOrTx, clock: Clock, project: ProjectRuntime, context: RelayContext, stored: MessageRow, routes: CopyRoute[]): Promise<void> {
  const { customer } = context
  const kind = stored.origin === 'client' ? 'client_message' : 'staff_message'
  if (context.atAssignment) {
    const links = await queueRoutedCopies(tx, project, stored, routes, clock.now())
    return queueAssistantWork(tx, clock, project, { kind, customer, stored, links })
  }
  if (stored.origin === 'client') {
    // A relayed message reopens a resolved conversation (its copy reopens the closed CR topic).
    if (customer.conversation === 'resolved') await reopenConversation(tx, project, customer.id, { reason: 'client_message' })
    const links = await queueRoutedCopies(tx, project, stored, routes, clock.now())
    await clientMessageRelayed(tx, project, customer, stored.id, clock.now(), context.wait)
    // Assistant work (suggestions, translation…) runs as its own jobs after the commit: the relay never waits on a provider.
    return queueAssistantWork(tx, clock, project, { kind, customer, stored, links })
  }
  const links = await queueRoutedCopies(tx, project, stored, routes, clock.now())
  await staffAnswered(tx, project, customer.id)
  await queueAssistantWork(tx, clock, project, { kind, customer, stored, links })
}

/** A 'respond' verdict: the client is answered in their chat, a typed staff message in its topic; canned and API callers return the text. */
async function respond(tx: DbOrTx, project: ProjectRuntime, context: RelayContext, text: string): Promise<void> {
  if (context.source === 'client') await queueClientText(tx, project, context.customer.telegramUserId, text)
  else if (context.typedIn) await queueTopicText(tx, project, context.typedIn.topic, text, { replyTo: { messageId: context.typedIn.messageId } })
}

function staffCopyContext(project: ProjectRuntime, context: RelayContext): StaffCopyContext | undefined {
  if (context.attribution === undefined) return undefined
  const toClient = !context.customer.blocked
  const mirrorHeader = textsOf(project).staff(toClient ? 'mirrorHeader' : 'mirrorHeaderNotDelivered', { attribution: context.attribution })
  return { attribution: context.attribution, toClient, clientChatId: context.customer.telegramUserId, mirrorHeader }
}
