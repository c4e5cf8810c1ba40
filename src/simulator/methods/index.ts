import { sendMediaGroup } from './album.js'
import { profileHandlers } from './bot-profile.js'
import { chatHandlers } from './chat-info.js'
import type { Handler } from './context.js'
import { copyHandlers } from './copy.js'
import { deleteHandlers } from './delete.js'
import { draftHandlers } from './drafts.js'
import { editHandlers } from './edit.js'
import { ephemeralHandlers } from '../ephemeral.js'
import { topicHandlers } from './forum-topics.js'
import { interactionHandlers } from './interactions.js'
import { liveLocationHandlers } from './live-location.js'
import { memberHandlers } from './members.js'
import { pollingHandlers } from './polling.js'
import { sendHandlers } from './send.js'

export type { CallContext, Handler } from './context.js'
export { WithDescription } from './context.js'

export const HANDLERS: Record<string, Handler> = {
  ...profileHandlers,
  ...pollingHandlers,
  ...sendHandlers,
  sendMediaGroup,
  ...copyHandlers,
  ...editHandlers,
  ...deleteHandlers,
  ...topicHandlers,
  ...chatHandlers,
  ...memberHandlers,
  ...interactionHandlers,
  ...liveLocationHandlers,
  ...ephemeralHandlers,
  ...draftHandlers,
}

/** Bot API method names are case-insensitive. */
const BY_LOWER = new Map(Object.keys(HANDLERS).map((name) => [name.toLowerCase(), name]))
export function canonicalMethod(name: string): string | undefined {
  return BY_LOWER.get(name.toLowerCase())
}

/** Calls that create or edit messages: the ones flood limits count. */
export function isFloodCounted(method: string): boolean {
  return /^(send|copy|forward|edit)/.test(method) && method !== 'sendChatAction'
}

/** How many messages a flood-counted call posts: each album item and each copied or forwarded message counts. */
export function messagesOfCall(method: string, media: unknown, messageIds: unknown): number {
  if (method === 'sendMediaGroup' && Array.isArray(media)) return Math.max(1, media.length)
  if (/^(copy|forward)Messages$/.test(method) && Array.isArray(messageIds)) return Math.max(1, messageIds.length)
  return 1
}

/** Default targets of fault injection: every send, edit, copy and forward method. */
export function isFaultDefault(method: string): boolean {
  return /^(send|copy|forward|edit)/.test(method)
}
