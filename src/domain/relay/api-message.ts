import { randomInt } from 'node:crypto'
import { auditLog } from '../../db/schema/index.js'
import { findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { attribution, projectBotIds, staffGroups, staffMember, type ProjectRuntime, type StaffGroup } from '../project-runtime.js'
import type { Customer } from '../customers.js'
import { queueMessageCopies } from './queue-copies.js'
import { storeMessage } from './store-message.js'
import type { InboundMessage } from '../inbound.js'

export interface ApiMessage {
  customerId: number
  staffId: number
  text: string
  /** Who asked (the API key's name), for the audit log. */
  requestedBy: string
}

export type ApiMessageOutcome =
  { ok: true; messageRowId: number; delivered: boolean } | { ok: false; reason: 'no_customer' | 'not_staff' | 'not_active' | 'no_group'; message: string }

/**
 * A message to a customer written outside Telegram (the admin API) in a staff member's name:
 * stored like a staff message, sent to the client attributed ("Alice · CS") through the outbox,
 * and mirrored into every topic of the customer so staff see what was said. It has no Telegram
 * original: chat 0, bot 0 and a random negative message id keep it apart from real messages.
 */
export async function relayApiMessage(deps: DomainDeps, project: ProjectRuntime, input: ApiMessage): Promise<ApiMessageOutcome> {
  const member = staffMember(project, input.staffId)
  if (!member) return { ok: false, reason: 'not_staff', message: `User ${input.staffId} is not on the staff of project ${project.config.key}` }
  const customer = await findCustomer(deps.db, input.customerId)
  if (!customer || customer.projectId !== project.id) return { ok: false, reason: 'no_customer', message: `No customer ${input.customerId} in project ${project.config.key}` }
  if (customer.state !== 'active') return { ok: false, reason: 'not_active', message: 'This customer is not assigned yet, so staff cannot write to them.' }
  const group = senderGroup(project, member.roles, customer)
  if (!group) return { ok: false, reason: 'no_group', message: `${member.name} works in none of this customer's groups` }
  const outcome = await deps.db.transaction(async (tx) => {
    for (let attempt = 0; ; attempt++) {
      const message = syntheticMessage(input, member.name)
      const stored = await storeMessage(tx, {
        projectId: project.id,
        customerId: customer.id,
        origin: 'staff',
        botId: 0,
        projectBotIds: projectBotIds(project),
        message,
        senderRole: group.role,
      })
      if (!stored) {
        if (attempt < 3) continue // the random id was taken: draw another
        throw new Error(`Could not store an API message for customer ${customer.id}`)
      }
      await queueMessageCopies(tx, project, stored, { attribution: attribution(project, group, member.id), toClient: !customer.blocked, clientChatId: customer.telegramUserId })
      await tx.insert(auditLog).values({
        projectId: project.id,
        actorUserId: member.id,
        action: 'api_message',
        customerId: customer.id,
        details: JSON.stringify({ messageRowId: stored.id, requestedBy: input.requestedBy }),
      })
      return { ok: true as const, messageRowId: stored.id, delivered: !customer.blocked }
    }
  })
  deps.notify()
  return outcome
}

/** The group whose label signs the message: the first of the member's roles that has a topic of this customer. */
function senderGroup(project: ProjectRuntime, roles: readonly string[], customer: Customer): StaffGroup | undefined {
  const groups = staffGroups(project)
  for (const role of roles) {
    const found =
      role === 'cs' || role === 'cs_lead'
        ? groups.find((g) => g.role === 'cs')
        : role === 'cr'
          ? groups.find((g) => g.role === 'cr' && g.teamKey === customer.crTeam)
          : groups.find((g) => g.role === role && (role !== 'treatment' || customer.treatment))
    if (found) return found
  }
  return undefined
}

/** The stored form of an API message: shaped like a Telegram text message (raw is rendered from it later). */
function syntheticMessage(input: ApiMessage, name: string): InboundMessage {
  const raw = {
    message_id: -randomInt(1, 2 ** 47),
    date: Math.floor(Date.now() / 1000),
    chat: { id: 0, type: 'private', first_name: 'API' },
    from: { id: input.staffId, is_bot: false, first_name: name },
    text: input.text,
  }
  return { ...raw, kind: 'text', raw }
}
