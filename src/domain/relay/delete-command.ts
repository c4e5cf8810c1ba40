import { eq } from 'drizzle-orm'
import { messages } from '../../db/schema/index.js'
import { recordAudit } from '../audit/events.js'
import { linksOfMessage } from '../../db/repositories/relay.js'
import { resolveActedOn } from './acted-on.js'
import { refusalFor } from '../permissions.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { textsOf, viewerOf, type ProjectRuntime } from '../project-runtime.js'
import { enqueueTo, postedCopy } from '../enqueue-to.js'

/** Bots may delete messages only while they are younger than 48 hours. */
const DELETE_WINDOW_SECONDS = 48 * 3600

export type DeleteOutcome = { ok: true } | { ok: false; reason: string }

/**
 * `/delete` as a reply in a topic, to a staff original or to any copy of it: removes the message
 * everywhere (the client's copy, the mirrors, the original in its own chat, and the command).
 * Staff delete their own messages; CS leads anyone's.
 */
export async function deleteByCommand(deps: DomainDeps, project: ProjectRuntime, botId: number, command: InboundMessage): Promise<DeleteOutcome> {
  const t = textsOf(project)
  const target = command.reply_to_message
  if (!target || (command.is_topic_message && target.message_id === command.message_thread_id)) {
    return { ok: false, reason: t.staff('deleteHowTo') }
  }
  const found = await resolveActedOn(deps.db, viewerOf(project, botId), command.chat.id, target.message_id)
  if (!found) return { ok: false, reason: t.staff('deleteNotRelayed') }
  const original = found.message
  const userId = command.from?.id ?? 0
  if (original.origin !== 'staff') return { ok: false, reason: t.staff('deleteClientMessage') }
  const refusal = original.senderUserId === userId ? undefined : refusalFor(project, userId, 'delete_any_message')
  if (refusal) return { ok: false, reason: refusal }
  // Both dates come from Telegram's clock, so the check does not depend on ours.
  const sentAt = (JSON.parse(original.raw) as { date: number }).date
  if (command.date - sentAt > DELETE_WINDOW_SECONDS) return { ok: false, reason: t.staff('deleteTooOld') }
  await deps.db.transaction(async (tx) => {
    await tx.update(messages).set({ deleted: true }).where(eq(messages.id, original.id))
    for (const link of await linksOfMessage(tx, original.id)) {
      await enqueueTo(tx, project, postedCopy(link), { type: 'delete', linkId: link.id })
    }
    // The original in its own chat with the bot that received it (the command may be a reply to
    // a mirror in another group); the command where it was written, by the bot that read it.
    const deletions = [
      { chatId: original.chatId, messageId: original.messageId, botId: original.botId },
      { chatId: command.chat.id, messageId: command.message_id, botId },
    ]
    for (const target of deletions) {
      await enqueueTo(tx, project, { kind: 'posted', chatId: target.chatId, botId: target.botId }, { type: 'delete', chatId: target.chatId, messageId: target.messageId })
    }
    await recordAudit(tx, project.id, {
      kind: 'delete',
      actorUserId: userId,
      customerId: original.customerId,
      details: { messageRowId: original.id, authorUserId: original.senderUserId },
      text: original.text,
    })
  })
  deps.notify()
  return { ok: true }
}
