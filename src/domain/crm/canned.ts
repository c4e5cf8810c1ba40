import { eq } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { cannedReplies } from '../../db/schema/index.js'
import { findCustomer, type Topic } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { touchTopic } from '../idle-topics.js'
import { refusalFor } from '../permissions.js'
import { resolveStoredMessage } from '../../db/repositories/relay.js'
import type { InboundMessage } from '../inbound.js'
import { botForRole, staffMember, textsOf, viewerOf, type ProjectRuntime, type StaffGroup } from '../project-runtime.js'
import { isRealReply } from '../relay/store-message.js'
import { relaySyntheticStaffMessage } from '../relay/synthetic-message.js'
import { awaitRepliedTo } from '../relay/acted-on.js'
import { normaliseTag, type CrmOutcome } from './tags.js'

/** Longest canned reply kept (one Telegram message). */
export const CANNED_MAX_CHARS = 4000

/** `/canned add <name> <text>` (CS leads): stores the project's canned reply, replacing one of the same name. */
export async function addCanned(deps: DomainDeps, project: ProjectRuntime, actorUserId: number, args: string): Promise<CrmOutcome> {
  const refusal = refusalFor(project, actorUserId, 'manage_canned')
  if (refusal) return { ok: false, reason: refusal }
  const match = /^(\S+)\s+([\s\S]+)$/.exec(args)
  const name = match && normaliseTag(match[1]!)
  const t = textsOf(project)
  if (!match || !name) return { ok: false, reason: t.staff('cannedAddUsage') }
  const text = match[2]!.trim()
  if (text.length > CANNED_MAX_CHARS) return { ok: false, reason: t.staff('cannedTooLong', { max: CANNED_MAX_CHARS }) }
  await deps.db
    .insert(cannedReplies)
    .values(projectRow(cannedReplies, project.id, { name, text, createdBy: actorUserId }))
    .onDuplicateKeyUpdate({ set: { text, createdBy: actorUserId } })
  return { ok: true, text: t.staff('cannedSaved', { name }) }
}

/** `/canned remove <name>` (CS leads). */
export async function removeCanned(deps: DomainDeps, project: ProjectRuntime, actorUserId: number, rawName: string): Promise<CrmOutcome> {
  const refusal = refusalFor(project, actorUserId, 'manage_canned')
  if (refusal) return { ok: false, reason: refusal }
  const name = normaliseTag(rawName)
  const [result] = name ? await deps.db.delete(cannedReplies).where(inProject(cannedReplies, project.id, eq(cannedReplies.name, name))) : [{ affectedRows: 0 }]
  const t = textsOf(project)
  return result.affectedRows > 0 ? { ok: true, text: t.staff('cannedRemoved', { name: name! }) } : { ok: false, reason: t.staff('cannedUnknown', { name: rawName }) }
}

/** `/canned list`: the project's canned replies, by name, each with the start of its text. */
export async function listCanned(db: DbOrTx, project: ProjectRuntime): Promise<string> {
  const rows = await db.select().from(cannedReplies).where(inProject(cannedReplies, project.id)).orderBy(cannedReplies.name)
  const t = textsOf(project)
  if (rows.length === 0) return t.staff('cannedNone')
  const preview = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text).replace(/\s+/g, ' ')
  return [t.staff('cannedTitle'), ...rows.map((row) => t.staff('cannedLine', { name: row.name, preview: preview(row.text) }))].join('\n').slice(0, 4000)
}

/**
 * `/c <name>` in a customer's topic: the canned reply goes to the client as the agent's own
 * answer ("Alice · CS"), like a typed one, and is mirrored into every topic of the customer
 * (this one included, since the command itself is not what the client got). It is a staff
 * message without a Telegram original (see relay/synthetic-message): nothing in the topic
 * can be edited into something else, a client's reply to it lands on its copies, and the same
 * command (a redelivered update) sends it once.
 */
export async function sendCanned(deps: DomainDeps, project: ProjectRuntime, group: StaffGroup, topic: Topic, command: InboundMessage, rawName: string): Promise<CrmOutcome> {
  const actorUserId = command.from?.id ?? 0
  const refusal = refusalFor(project, actorUserId, 'send_canned')
  if (refusal) return { ok: false, reason: refusal }
  const t = textsOf(project)
  if (rawName === '') return { ok: false, reason: t.staff('cannedWhich') }
  const name = normaliseTag(rawName)
  const [canned] = name
    ? await deps.db
        .select()
        .from(cannedReplies)
        .where(inProject(cannedReplies, project.id, eq(cannedReplies.name, name)))
    : []
  if (!canned) return { ok: false, reason: t.staff('cannedUnknownSeeList', { name: rawName }) }
  if (topic.state === 'retired') return { ok: false, reason: t.staff('notDeliveredRetired') }
  const customer = await findCustomer(deps.db, topic.customerId)
  if (!customer || customer.state !== 'active') return { ok: false, reason: t.staff('cannotWriteToCustomer') }
  const viewer = viewerOf(project, botForRole(project, group.role).id)
  await awaitRepliedTo(deps.db, viewer, command)
  const outcome = await deps.db.transaction(async (tx) => {
    // Sent as a reply to a message, it answers that message, as a typed reply would.
    const replyTo = isRealReply(command) ? await resolveStoredMessage(tx, viewer, command.chat.id, command.reply_to_message!.message_id) : undefined
    const source = { via: 'canned' as const, key: `${command.chat.id}:${command.message_id}`, replyToRowId: replyTo?.message.id }
    const relayed = await relaySyntheticStaffMessage(tx, deps.clock, project, customer, group, staffMember(project, actorUserId)!, canned.text, source)
    await touchTopic(tx, topic.id, deps.clock.now(), topic.lastActivityAt)
    return relayed
  })
  deps.notify()
  // A relay policy that answers instead has its answer shown; one that holds or drops says so itself.
  if (outcome?.kind === 'responded') return { ok: false, reason: outcome.text }
  if (outcome && outcome.kind !== 'relayed') return { ok: true, text: '' }
  return customer.blocked ? { ok: false, reason: t.staff('notDeliveredBlocked') } : { ok: true, text: '' }
}
