import { renderFor } from './render.js'
import type { BotState, ChatState, StoredMessage, Wire, World } from './world.js'

/**
 * Bots that get a user's group message: admins and bots with privacy mode off see all; plain
 * members in privacy mode only commands and replies to them (https://core.telegram.org/bots/features#privacy-mode).
 */
function groupRecipients(world: World, m: StoredMessage): BotState[] {
  const out: BotState[] = []
  for (const id of m.chat.members) {
    const bot = world.bots.get(id)
    if (!bot || !world.isMember(m.chat, id)) continue
    if (m.chat.admins.has(id) || bot.canReadAllGroupMessages || addressesBot(m, bot)) out.push(bot)
  }
  return out
}

function addressesBot(m: StoredMessage, bot: BotState): boolean {
  const real = m.wire.reply_to_message as Wire | undefined
  if (real && !real.forum_topic_created && real.from?.id === bot.id) return true
  const text: string = m.wire.text ?? ''
  const command = /^\/[a-zA-Z0-9_]+(@([a-zA-Z0-9_]+))?/.exec(text)
  return command !== null && (command[2] === undefined || command[2].toLowerCase() === bot.username.toLowerCase())
}

/** Queues `message` updates for a message a user just sent (bots never see bots' messages). */
export function deliverNewMessage(world: World, m: StoredMessage): void {
  if (m.senderIsBot) return
  const bots = m.chat.type === 'private' ? [world.bots.get(m.chat.botId ?? 0)].filter((b): b is BotState => !!b) : groupRecipients(world, m)
  for (const bot of bots) {
    m.seenBy.add(bot.id)
    bot.queue.push('message', renderFor(world.files, m.wire, bot.id))
  }
}

/** Queues `edited_message` to the bots that received the original. */
export function deliverEdit(world: World, m: StoredMessage): void {
  if (m.senderIsBot) return
  for (const id of m.seenBy) {
    const bot = world.bots.get(id)
    if (bot && (m.chat.type === 'private' || world.isMember(m.chat, id))) {
      bot.queue.push('edited_message', renderFor(world.files, m.wire, id))
    }
  }
}

/** Bots that may hear about reactions in a chat: the private chat's bot, or admin bots of a group. */
export function reactionRecipients(world: World, chat: ChatState): BotState[] {
  if (chat.type === 'private') return [world.bots.get(chat.botId ?? 0)].filter((b): b is BotState => !!b)
  return [...chat.admins.keys()].map((id) => world.bots.get(id)).filter((b): b is BotState => !!b && world.isMember(chat, b.id))
}
