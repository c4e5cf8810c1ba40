import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import { customers, type NotRelayedReason } from '../../db/schema/index.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { clientBot, projectBotIds, viewerOf, type ProjectRuntime } from '../project-runtime.js'
import { floodingColumn } from './client-limits.js'
import { relayThroughPipeline } from './pipeline.js'
import { storeMessage } from './store-message.js'
import { awaitRepliedTo } from './acted-on.js'
import { parseWaitingSince, waitExistsColumn, waitingSinceColumn } from '../sla/waits.js'
import { activeTopicsColumn, parseActiveTopics } from '../customers.js'
import { answerAutomatically } from '../autoreply/engine.js'

/**
 * What became of a client message; 'held': stored until the customer is assigned; 'not_ready':
 * the customer is unknown, gives their email or was rejected (nothing was stored); the rest are
 * the relay policies' verdicts (`held_by_policy` until a release); 'auto_answered': an
 * auto-reply or a flow answered it (relayed to the topics silently).
 */
export type ClientMessageOutcome = 'relayed' | 'auto_answered' | 'held' | 'duplicate' | 'not_ready' | 'held_by_policy' | 'responded' | NotRelayedReason

/**
 * A message from a client in the private chat: stored first, then copied to each of the
 * customer's topics through the relay pipeline (its policies: a banned or flooding client's is
 * stored only, see client-limits). Before assignment it is held and replayed once topics
 * exist. The customer is found by their Telegram id with the locking read itself (no read
 * before it); an unknown customer, one who still gives their email, or a rejected one is left
 * to onboarding ('not_ready').
 */
export async function relayClientMessage(deps: DomainDeps, project: ProjectRuntime, telegramUserId: number, message: InboundMessage): Promise<ClientMessageOutcome> {
  await awaitRepliedTo(deps.db, viewerOf(project, clientBot(project).id), message)
  const result = await deps.db.transaction(async (tx) => {
    // Locking read: an assignment committing right now either sees this message as held
    // (and replays it) or has already made the customer active (and we relay it).
    // The flood check, the customer's active topics and whether they already wait are columns
    // of the same statement (one round trip; see activeTopicsColumn for why they are not locked).
    const [found] = await tx
      .select({ customer: customers, flooding: floodingColumn(project), topics: activeTopicsColumn(), waitingSince: waitingSinceColumn(), waitExists: waitExistsColumn() })
      .from(customers)
      .where(inProject(customers, project.id, eq(customers.telegramUserId, telegramUserId)))
      .for('update')
    const current = found?.customer
    if (!current || current.state === 'awaiting_email' || current.state === 'rejected') return 'not_ready' as const
    const incoming = { projectId: project.id, customerId: current.id, origin: 'client' as const, botId: clientBot(project).id, projectBotIds: projectBotIds(project), message }
    if (current.state !== 'active') return (await storeMessage(tx, { ...incoming, held: true })) ? ('held' as const) : ('duplicate' as const)
    const known = parseActiveTopics(found.topics)
    const context = {
      source: 'client' as const,
      customer: current,
      known,
      flooding: Number(found.flooding) === 1,
      wait: { exists: Number(found.waitExists) === 1, since: parseWaitingSince(found.waitingSince) },
      // Auto-replies and flows: the one automatic-answer step, for a message the policies let through.
      answerAutomatically: (stored: MessageRow) => answerAutomatically(tx, deps, project, current, stored, known),
    }
    const outcome = await relayThroughPipeline(tx, deps.clock, project, context, incoming)
    switch (outcome.kind) {
      case 'relayed':
      case 'duplicate':
      case 'auto_answered':
        return outcome.kind
      case 'dropped':
        return outcome.reason
      case 'held':
        return 'held_by_policy' as const
      case 'responded':
        return 'responded' as const
    }
  })
  if (result !== 'held' && result !== 'duplicate' && result !== 'not_ready') deps.notify()
  return result
}
