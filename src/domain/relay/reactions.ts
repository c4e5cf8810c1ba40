import { reactionTarget } from '../../db/repositories/relay.js'
import { resolveActedOn } from './acted-on.js'
import type { DomainDeps } from '../deps.js'
import type { InboundReaction } from '../inbound.js'
import { viewerOf, type ProjectRuntime } from '../project-runtime.js'
import { enqueueTo } from '../enqueue-to.js'
import { toStandardReaction } from './standard-reactions.js'

/**
 * Someone reacted to a relayed copy: the bot that holds the original sets the same reaction
 * there (a bot may set one standard reaction per message; removal clears it). On an album it
 * reacts on the album's first item, where Telegram shows album reactions.
 */
export async function syncReaction(deps: DomainDeps, project: ProjectRuntime, botId: number, update: InboundReaction): Promise<'synced' | 'ignored'> {
  const found = await resolveActedOn(deps.db, viewerOf(project, botId), update.chat.id, update.message_id)
  if (!found?.viaLink) return 'ignored'
  const chosen = update.emoji
  const standard = chosen.map(toStandardReaction).filter((e): e is string => Boolean(e))
  if (chosen.length > 0 && standard.length === 0) {
    deps.logger.info({ chatId: update.chat.id, messageId: update.message_id, chosen }, 'reaction has no standard equivalent; not synced')
    return 'ignored'
  }
  const original = await reactionTarget(deps.db, found.message)
  const emoji = standard.slice(-1)
  await enqueueTo(
    deps.db,
    project,
    { kind: 'posted', chatId: original.chatId, botId: original.botId },
    { type: 'react', chatId: original.chatId, messageId: original.messageId, emoji },
  )
  deps.notify()
  return 'synced'
}
