import { eq } from 'drizzle-orm'
import { customers, type NotRelayedReason } from '../../db/schema/index.js'
import type { Customer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { reopenConversation } from '../conversation/resolve.js'
import { clientBot, projectBotIds, type ProjectRuntime } from '../project-runtime.js'
import { holdBack, relayRestriction } from './client-limits.js'
import { queueMessageCopies } from './queue-copies.js'
import { storeMessage } from './store-message.js'

/**
 * A message from a client in the private chat: stored first, then copied to each of the
 * customer's topics. Before assignment it is held and replayed once topics exist; from a banned
 * or flooding client it is stored only (see client-limits).
 */
export async function relayClientMessage(
  deps: DomainDeps,
  project: ProjectRuntime,
  customer: Customer,
  message: InboundMessage,
): Promise<'relayed' | 'held' | 'duplicate' | NotRelayedReason> {
  const result = await deps.db.transaction(async (tx) => {
    // Locking read: an assignment committing right now either sees this message as held
    // (and replays it) or has already made the customer active (and we relay it).
    const [current] = await tx.select().from(customers).where(eq(customers.id, customer.id)).for('update')
    const held = current?.state !== 'active'
    const notRelayed = held || !current ? undefined : await relayRestriction(tx, project, current)
    const stored = await storeMessage(tx, {
      projectId: project.id,
      customerId: customer.id,
      origin: 'client',
      botId: clientBot(project).id,
      projectBotIds: projectBotIds(project),
      message,
      held,
      notRelayed,
    })
    if (!stored) return 'duplicate' as const
    if (held) return 'held' as const
    if (notRelayed && current) {
      await holdBack(tx, project, current, stored, notRelayed)
      return notRelayed
    }
    // A relayed message reopens a resolved conversation (its copy reopens the closed CR topic).
    if (current?.conversation === 'resolved') await reopenConversation(tx, project, customer.id, { reason: 'client_message' })
    await queueMessageCopies(tx, project, stored)
    return 'relayed' as const
  })
  if (result !== 'held' && result !== 'duplicate') deps.notify()
  return result
}
