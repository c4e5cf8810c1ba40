import { createHash, randomInt } from 'node:crypto'
import type { DbOrTx } from '../../db/client.js'
import type { Clock } from '../clock.js'
import type { Customer } from '../customers.js'
import type { InboundMessage } from '../inbound.js'
import { attribution, projectBotIds, type ProjectRuntime, type StaffGroup, type StaffMember } from '../project-runtime.js'
import { relayThroughPipeline, type PipelineOutcome } from './pipeline.js'

/** What a staff message without original may be tied to: the Telegram message that asked for it, and the message it answers. */
export interface SyntheticSource {
  /** The command that asked for it ("chat:message"): the same command relays it once only. */
  key: string
  /** The stored message it replies to, mapped onto each copy like a typed reply. */
  replyToRowId?: number
}

/**
 * A staff message with no Telegram original (the admin API, a canned reply): stored like a staff
 * message and sent to the client attributed ("Alice · CS"), and, as it was typed nowhere, mirrored
 * into every topic of the customer so staff see what was said. Chat 0, bot 0 and a negative
 * message id (random, or derived from `source.key`) keep it apart from real messages. Goes
 * through the relay pipeline (`via`: a canned reply or the API) inside the caller's transaction;
 * undefined when the source's message was already relayed.
 */
export async function relaySyntheticStaffMessage(
  tx: DbOrTx,
  clock: Clock,
  project: ProjectRuntime,
  customer: Customer,
  group: StaffGroup,
  member: StaffMember,
  text: string,
  source: { via: 'canned' | 'api' | 'suggestion' } & Partial<SyntheticSource>,
): Promise<Exclude<PipelineOutcome, { kind: 'duplicate' }> | undefined> {
  const context = { source: source.via, customer, attribution: attribution(project, group, member.id) }
  for (let attempt = 0; attempt < 4; attempt++) {
    const incoming = {
      projectId: project.id,
      customerId: customer.id,
      origin: 'staff' as const,
      botId: 0,
      projectBotIds: projectBotIds(project),
      message: syntheticMessage(member, text, source.key ? sourceMessageId(source.key) : -randomInt(1, 2 ** 47), clock.now()),
      senderRole: group.role,
      replyToRowId: source.replyToRowId,
    }
    const outcome = await relayThroughPipeline(tx, clock, project, context, incoming)
    if (outcome.kind === 'duplicate' && source.key) return undefined // this command was handled before (a redelivered update)
    if (outcome.kind === 'duplicate') continue // the random id was taken: draw another
    return outcome
  }
  throw new Error(`Could not store a staff message without original for customer ${customer.id}`)
}

/** The stored form of such a message: shaped like a Telegram text message (raw is rendered from it later). */
function syntheticMessage(member: StaffMember, text: string, messageId: number, now: Date): InboundMessage {
  const raw = {
    message_id: messageId,
    date: Math.floor(now.getTime() / 1000),
    chat: { id: 0, type: 'private', first_name: 'API' },
    from: { id: member.id, is_bot: false, first_name: member.name },
    text,
  }
  return { ...raw, kind: 'text', raw }
}

/** A negative message id (47 bits) derived from a source key. */
function sourceMessageId(key: string): number {
  return -(createHash('sha256').update(key).digest().readUIntBE(0, 6) % 2 ** 47) - 1
}
