import { randomInt } from 'node:crypto'
import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import type { Customer } from '../customers.js'
import type { InboundMessage } from '../inbound.js'
import { attribution, projectBotIds, type ProjectRuntime, type StaffGroup, type StaffMember } from '../project-runtime.js'
import { queueMessageCopies } from './queue-copies.js'
import { storeMessage } from './store-message.js'

/**
 * A staff message with no Telegram original (the admin API, a canned reply): stored like a staff
 * message and sent to the client attributed ("Alice · CS"), and, as it was typed nowhere, mirrored
 * into every topic of the customer so staff see what was said. Chat 0, bot 0 and a random negative
 * message id keep it apart from real messages. Runs inside the caller's transaction.
 */
export async function relaySyntheticStaffMessage(
  tx: DbOrTx,
  project: ProjectRuntime,
  customer: Customer,
  group: StaffGroup,
  member: StaffMember,
  text: string,
): Promise<MessageRow> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const stored = await storeMessage(tx, {
      projectId: project.id,
      customerId: customer.id,
      origin: 'staff',
      botId: 0,
      projectBotIds: projectBotIds(project),
      message: syntheticMessage(member, text),
      senderRole: group.role,
    })
    if (!stored) continue // the random id was taken: draw another
    await queueMessageCopies(tx, project, stored, { attribution: attribution(project, group, member.id), toClient: !customer.blocked, clientChatId: customer.telegramUserId })
    return stored
  }
  throw new Error(`Could not store a staff message without original for customer ${customer.id}`)
}

/** The stored form of such a message: shaped like a Telegram text message (raw is rendered from it later). */
function syntheticMessage(member: StaffMember, text: string): InboundMessage {
  const raw = {
    message_id: -randomInt(1, 2 ** 47),
    date: Math.floor(Date.now() / 1000),
    chat: { id: 0, type: 'private', first_name: 'API' },
    from: { id: member.id, is_bot: false, first_name: member.name },
    text,
  }
  return { ...raw, kind: 'text', raw }
}
