import { and, desc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { messages } from '../../db/schema/index.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { customerName, type Customer, type Topic } from '../customers.js'
import { staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { queueCopy, topicRoute } from '../routing.js'
import { notHeldByPolicy } from '../relay/holds.js'

/** "↩ Zoe Quinn · 14:02" for the client, "↩ Alice · CS · 14:05" for staff (UTC, when it was sent). */
export function contextLabel(project: ProjectRuntime, customer: Customer, message: MessageRow): string {
  const sentAt = (JSON.parse(message.raw) as { date?: number }).date
  const time = (sentAt ? new Date(sentAt * 1000) : message.createdAt).toISOString().slice(11, 16)
  const t = textsOf(project)
  if (message.origin === 'client') return t.staff('contextClientLabel', { name: customerName(customer), time })
  const label = project.roles.find((role) => role.key === message.senderRole)?.label(project.config) || t.staff('staffCapital')
  return t.staff('contextStaffLabel', { name: staffMember(project, message.senderUserId)?.name ?? t.staff('staffCapital'), label, time })
}

/**
 * Gives a new Treatment topic the latest messages of the conversation (client and staff,
 * internal notes and deleted messages left out), oldest first, as labelled replay copies.
 */
export async function queueContextReplay(tx: DbOrTx, project: ProjectRuntime, customer: Customer, topic: Topic, now: Date): Promise<number> {
  const limit = project.config.treatment.contextMessages
  if (limit === 0) return 0
  const latest = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.customerId, customer.id), eq(messages.deleted, false), eq(messages.held, false), notHeldByPolicy(), eq(messages.internalNote, false)))
    .orderBy(desc(messages.id))
    .limit(limit)
  for (const message of latest.reverse()) {
    await queueCopy(tx, project, message, topicRoute(topic, 'replay', contextLabel(project, customer, message)), now, { noAlbumWait: true })
  }
  return latest.length
}
