import type { DbOrTx } from '../../db/client.js'
import { resolveStoredMessage, type Viewer } from '../../db/repositories/relay.js'
import { sendsInFlightTo, untilSent } from '../../delivery/sends-in-flight.js'
import type { InboundMessage } from '../inbound.js'
import { isRealReply } from './store-message.js'

/**
 * The stored message a person reacted to or pointed a command at (`resolveStoredMessage`). One
 * not found while copies are still being sent into that chat may be one of them, shown before
 * its id came back: it is looked up again once they are recorded (`delivery/sends-in-flight.ts`).
 * Not inside a transaction: the wait would hold its locks.
 */
export async function resolveActedOn(db: DbOrTx, viewer: Viewer, chatId: number, messageId: number): ReturnType<typeof resolveStoredMessage> {
  const found = await resolveStoredMessage(db, viewer, chatId, messageId)
  if (found) return found
  const inFlight = await sendsInFlightTo(db, viewer.projectId, chatId)
  if (inFlight.length === 0) return undefined
  await untilSent(db, inFlight)
  return resolveStoredMessage(db, viewer, chatId, messageId)
}

/**
 * A reply is stored with what it answers inside the relay's transaction, where nothing may wait:
 * a reply to a copy still in flight waits here, before it, for that copy's record (one lookup for
 * a reply whose target is known; none for a message that replies to nothing).
 */
export async function awaitRepliedTo(db: DbOrTx, viewer: Viewer, message: InboundMessage): Promise<void> {
  if (isRealReply(message)) await resolveActedOn(db, viewer, message.chat.id, message.reply_to_message!.message_id)
}
