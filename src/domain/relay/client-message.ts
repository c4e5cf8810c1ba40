import type { Message } from 'grammy/types'
import type { Customer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { clientBot, type ProjectRuntime } from '../project-runtime.js'
import { queueRelayCopies } from './queue-copies.js'
import { storeMessage } from './store-message.js'

/**
 * A message from a client in the private chat: stored first, then copied to each of the
 * customer's topics. Before assignment it is held and replayed once topics exist.
 */
export async function relayClientMessage(deps: DomainDeps, project: ProjectRuntime, customer: Customer, message: Message): Promise<'relayed' | 'held' | 'duplicate'> {
  const held = customer.state !== 'active'
  const result = await deps.db.transaction(async (tx) => {
    const stored = await storeMessage(tx, { projectId: project.id, customerId: customer.id, origin: 'client', botId: clientBot(project).id, message, held })
    if (!stored) return 'duplicate' as const
    if (held) return 'held' as const
    await queueRelayCopies(tx, project, stored)
    return 'relayed' as const
  })
  if (result === 'relayed') deps.notify()
  return result
}
