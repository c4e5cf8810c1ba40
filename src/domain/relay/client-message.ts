import { and, eq } from 'drizzle-orm'
import { customers, type NotRelayedReason } from '../../db/schema/index.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { reopenConversation } from '../conversation/resolve.js'
import { clientBot, projectBotIds, type ProjectRuntime } from '../project-runtime.js'
import { floodingColumn, holdBack, relayRestriction } from './client-limits.js'
import { queueMessageCopies } from '../routing.js'
import { storeMessage } from './store-message.js'
import { clientMessageRelayed, parseWaitingSince, waitingSinceColumn } from '../sla/waits.js'
import { activeTopicsColumn, parseActiveTopics } from '../customers.js'
import { answerAutomatically } from '../autoreply/engine.js'

/** What became of a client message; 'not_ready': the customer is unknown, gives their email or was rejected (nothing was stored). */
export type ClientMessageOutcome = 'relayed' | 'auto_answered' | 'held' | 'duplicate' | 'not_ready' | NotRelayedReason

/**
 * A message from a client in the private chat: stored first, then copied to each of the
 * customer's topics. Before assignment it is held and replayed once topics exist; from a banned
 * or flooding client it is stored only (see client-limits). The customer is found by their
 * Telegram id with the locking read itself (no read before it); an unknown customer, one who
 * still gives their email, or a rejected one is left to onboarding ('not_ready').
 */
export async function relayClientMessage(deps: DomainDeps, project: ProjectRuntime, telegramUserId: number, message: InboundMessage): Promise<ClientMessageOutcome> {
  const result = await deps.db.transaction(async (tx) => {
    // Locking read: an assignment committing right now either sees this message as held
    // (and replays it) or has already made the customer active (and we relay it).
    // The flood check, the customer's active topics and whether they already wait are columns
    // of the same statement (one round trip; see activeTopicsColumn for why they are not locked).
    const [found] = await tx
      .select({ customer: customers, flooding: floodingColumn(project), topics: activeTopicsColumn(), waitingSince: waitingSinceColumn() })
      .from(customers)
      .where(and(eq(customers.projectId, project.id), eq(customers.telegramUserId, telegramUserId)))
      .for('update')
    const current = found?.customer
    if (!current || current.state === 'awaiting_email' || current.state === 'rejected') return 'not_ready' as const
    const held = current.state !== 'active'
    const notRelayed = held ? undefined : relayRestriction(current, found.flooding)
    const stored = await storeMessage(tx, {
      projectId: project.id,
      customerId: current.id,
      origin: 'client',
      botId: clientBot(project).id,
      projectBotIds: projectBotIds(project),
      message,
      held,
      notRelayed,
    })
    if (!stored) return 'duplicate' as const
    if (held) return 'held' as const
    if (notRelayed) {
      await holdBack(tx, project, current, stored, notRelayed, deps.clock.now())
      return notRelayed
    }
    // AUTO-REPLIES AND FLOWS (issue 18): the one automatic-answer policy; a `respond` pipeline policy once the pipeline lands.
    if (await answerAutomatically(tx, deps, project, current, stored, parseActiveTopics(found.topics))) return 'auto_answered' as const
    // A relayed message reopens a resolved conversation (its copy reopens the closed CR topic).
    if (current.conversation === 'resolved') await reopenConversation(tx, project, current.id, { reason: 'client_message' })
    // A reopened conversation changed no topic row this statement read (the copy reopens it).
    await queueMessageCopies(tx, project, stored, undefined, parseActiveTopics(found.topics))
    await clientMessageRelayed(tx, project, current, stored.id, deps.clock.now(), parseWaitingSince(found.waitingSince))
    return 'relayed' as const
  })
  if (result !== 'held' && result !== 'duplicate' && result !== 'not_ready') deps.notify()
  return result
}
