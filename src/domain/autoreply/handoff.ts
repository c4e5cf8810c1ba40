import { randomInt } from 'node:crypto'
import type { DbOrTx } from '../../db/client.js'
import type { Customer } from '../customers.js'
import { reopenConversation } from '../conversation/resolve.js'
import type { InboundMessage } from '../inbound.js'
import { projectBotIds, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { storeMessage } from '../relay/store-message.js'
import { queueMessageCopies } from '../routing.js'
import { clientMessageRelayed } from '../sla/waits.js'
import { setFlowPosition } from './answers.js'
import { scopeOf } from '../../db/project-scope.js'

/**
 * The client asked for a person ("Talk to a person", or a flow's handoff step): a message in
 * their name ("🙋 Talk to a person") is relayed like any client message — a resolved
 * conversation reopens, the wait for a staff answer starts — and any flow ends. Chat 0, bot 0
 * and a random negative message id keep it apart from real messages.
 */
export async function handOffToPerson(tx: DbOrTx, project: ProjectRuntime, customer: Customer, now: Date): Promise<void> {
  await setFlowPosition(tx, scopeOf(project), customer.id, undefined, now)
  for (let attempt = 0; attempt < 4; attempt++) {
    const stored = await storeMessage(tx, {
      projectId: project.id,
      customerId: customer.id,
      origin: 'client',
      botId: 0,
      projectBotIds: projectBotIds(project),
      message: handoffMessage(customer, textsOf(project).staff('autoHandoffMessage'), now, -randomInt(1, 2 ** 47)),
    })
    if (!stored) continue // the random id was taken: draw another
    if (customer.conversation === 'resolved') await reopenConversation(tx, project, customer.id, { reason: 'client_message' })
    await queueMessageCopies(tx, project, stored, now)
    await clientMessageRelayed(tx, project, customer, stored.id, now)
    return
  }
  throw new Error(`Could not store a handoff message for customer ${customer.id}`)
}

function handoffMessage(customer: Customer, text: string, now: Date, messageId: number): InboundMessage {
  const raw = {
    message_id: messageId,
    date: Math.floor(now.getTime() / 1000),
    chat: { id: 0, type: 'private', first_name: customer.firstName },
    from: { id: customer.telegramUserId, is_bot: false, first_name: customer.firstName },
    text,
  }
  return { ...raw, kind: 'text', raw }
}
