import { findCustomer, type Topic } from '../customers.js'
import { enqueueTo } from '../enqueue-to.js'
import { queueTopicText } from '../topic-notices.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { projectBotIds, attribution, botForRole, staffMember, textsOf, viewerOf, type ProjectRuntime, type StaffGroup } from '../project-runtime.js'
import { touchTopic } from '../idle-topics.js'
import { relayThroughPipeline } from './pipeline.js'
import { storeMessage } from './store-message.js'
import { awaitRepliedTo } from './acted-on.js'

/** What became of a staff message; 'held' and 'not_relayed': a relay policy held it (until a release), dropped it or answered instead. */
export type StaffMessageOutcome = 'relayed' | 'note' | 'client_blocked' | 'not_staff' | 'duplicate' | 'no_customer' | 'topic_retired' | 'held' | 'not_relayed'

/** Reaction with which an internal note is acknowledged. */
export const NOTE_ACK = '✍'

/**
 * A message by a rostered staff member in a customer's topic: through the relay pipeline,
 * stored, sent to the client attributed ("Alice · CS"), and mirrored into the customer's other
 * topics. Internal notes
 * (configurable prefix) stay in the topic and get a small reaction.
 */
export async function relayStaffMessage(deps: DomainDeps, project: ProjectRuntime, group: StaffGroup, topic: Topic, message: InboundMessage): Promise<StaffMessageOutcome> {
  const senderId = message.from?.id ?? 0
  if (!staffMember(project, senderId)) return 'not_staff'
  const customer = await findCustomer(deps.db, topic.customerId)
  if (!customer) return 'no_customer'
  const text = message.text ?? message.caption ?? ''
  const isNote = text.startsWith(project.config.relay.notePrefix)
  const botId = botForRole(project, group.role).id
  const replyTo = { messageId: message.message_id }
  if (topic.state === 'retired') {
    // A replaced or ended topic (reassignment, Treatment closed) no longer speaks for the customer.
    const text = textsOf(project).staff('notDeliveredRetired')
    await queueTopicText(deps.db, project, topic, text, { replyTo })
    deps.notify()
    return 'topic_retired'
  }
  await awaitRepliedTo(deps.db, viewerOf(project, botId), message)
  const outcome = await deps.db.transaction(async (tx): Promise<StaffMessageOutcome> => {
    const incoming = { projectId: project.id, customerId: customer.id, origin: 'staff' as const, botId, projectBotIds: projectBotIds(project), message, senderRole: group.role }
    if (isNote) {
      if (!(await storeMessage(tx, { ...incoming, internalNote: true }))) return 'duplicate'
      await touchTopic(tx, topic.id, deps.clock.now(), topic.lastActivityAt)
      await enqueueTo(tx, project, { kind: 'topic', topic }, { type: 'react', chatId: message.chat.id, messageId: message.message_id, emoji: [NOTE_ACK] })
      return 'note'
    }
    const context = { source: 'typed' as const, customer, attribution: attribution(project, group, senderId), typedIn: { topic, messageId: message.message_id } }
    const relayed = await relayThroughPipeline(tx, deps.clock, project, context, incoming)
    if (relayed.kind === 'duplicate') return 'duplicate'
    await touchTopic(tx, topic.id, deps.clock.now(), topic.lastActivityAt)
    if (relayed.kind !== 'relayed') return relayed.kind === 'held' ? 'held' : 'not_relayed'
    if (customer.blocked) {
      await queueTopicText(tx, project, topic, textsOf(project).staff('notDeliveredBlocked'), { replyTo })
      return 'client_blocked'
    }
    return 'relayed'
  })
  deps.notify()
  return outcome
}
