import { cleanTopicName, createTopic, deleteTopic, serviceMessage, TOPIC_COLORS } from './methods/forum-topics.js'
import { memberWire } from './methods/chat-info.js'
import { changeMember } from './methods/members.js'
import { deliverNewMessage } from './routing.js'
import type { AdminRights, SimBot, SimChat, SimUser } from './types.js'
import { UpdateQueue } from './update-queue.js'
import { WebhookSender } from './webhook.js'
import type { ChatState, World } from './world.js'

const NO_RIGHTS: AdminRights = {
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: false,
  can_manage_video_chats: false,
  can_restrict_members: false,
  can_promote_members: false,
  can_change_info: false,
  can_invite_users: false,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: false,
  can_manage_topics: false,
}
const FULL_RIGHTS: AdminRights = Object.fromEntries(Object.keys(NO_RIGHTS).map((k) => [k, k !== 'is_anonymous'])) as unknown as AdminRights

/** Rights of a new admin: all of them when none are given, else exactly the given ones (plus can_manage_chat). */
export function adminRights(rights?: Partial<AdminRights>): AdminRights {
  return rights ? { ...NO_RIGHTS, ...rights } : { ...FULL_RIGHTS }
}

export function createBot(world: World, o: { token: string; username: string; firstName?: string; canReadAllGroupMessages?: boolean }, log: (line: string) => void): SimBot {
  if (world.botsByToken.has(o.token)) throw new Error(`simulator: a bot with token ${o.token} exists`)
  const prefix = /^(\d+):/.exec(o.token)?.[1]
  const id = prefix ? Number(prefix) : world.nextBotSeq++
  if (world.bots.has(id) || world.users.has(id)) throw new Error(`simulator: id ${id} is taken`)
  const queue = new UpdateQueue(world.prng.int(100_000, 900_000) * 1000)
  queue.onConflict = () => world.stats.pollConflicts++
  const bot = {
    id,
    token: o.token,
    username: o.username,
    firstName: o.firstName ?? o.username,
    canReadAllGroupMessages: o.canReadAllGroupMessages ?? false,
    commands: new Map(),
    descriptions: new Map(),
    shortDescriptions: new Map(),
    queue,
    webhook: new WebhookSender(queue, world.clock, log),
  }
  world.bots.set(id, bot)
  world.botsByToken.set(o.token, bot)
  return { id, token: bot.token, username: bot.username, firstName: bot.firstName }
}

export function createUser(world: World, o: Omit<SimUser, 'id'>): SimUser {
  const id = world.nextUserId++
  world.users.set(id, { ...o, id, blocked: new Set() })
  return { id, ...o }
}

export function createGroup(world: World, o: { title: string; members?: number[]; admins?: Array<{ id: number; rights?: Partial<AdminRights> }>; isForum?: boolean }): SimChat {
  const id = -(1_001_000_000_000 + world.nextGroupSeq++)
  const chat: ChatState = {
    type: 'supergroup',
    id,
    title: o.title,
    isForum: o.isForum ?? true,
    members: new Set(),
    admins: new Map(),
    kicked: new Set(),
    restricted: new Set(),
    messages: new Map(),
    nextMessageId: 2 /* id 1 is the General topic's root */,
    topics: new Map(),
  }
  world.groups.set(id, chat)
  for (const member of o.members ?? []) addMember(world, id, member)
  for (const admin of o.admins ?? []) promote(world, id, admin.id, admin.rights)
  return { id, title: o.title, isForum: chat.isForum }
}

function group(world: World, chatId: number): ChatState {
  const chat = world.groups.get(chatId)
  if (!chat) throw new Error(`simulator: no group ${chatId}`)
  return chat
}

function known(world: World, id: number): void {
  if (!world.isBot(id) && !world.users.has(id)) throw new Error(`simulator: unknown user or bot ${id}`)
}

/** Tells a bot its own membership changed, as Telegram does with my_chat_member. */
function notifyBot(world: World, chat: ChatState, id: number, change: () => void): void {
  const bot = world.bots.get(id)
  const before = memberWire(world, chat, id)
  change()
  const after = memberWire(world, chat, id)
  if (!bot || JSON.stringify(before) === JSON.stringify(after)) return
  const actor = [...chat.admins.keys()].find((a) => !world.isBot(a)) ?? [...chat.members].find((m) => !world.isBot(m)) ?? id
  bot.queue.push('my_chat_member', {
    chat: world.chatWire(chat),
    from: world.userWire(actor),
    date: world.clock.unix(),
    old_chat_member: before,
    new_chat_member: after,
  })
}

/** Someone joins (by an invite link: they are the actor); admin bots that asked hear of it as chat_member. */
export function addMember(world: World, chatId: number, id: number): void {
  known(world, id)
  const chat = group(world, chatId)
  changeMember(world, chat, id, id, () =>
    notifyBot(world, chat, id, () => {
      chat.kicked.delete(id)
      chat.members.add(id)
    }),
  )
}

export function promote(world: World, chatId: number, id: number, rights?: Partial<AdminRights>): void {
  known(world, id)
  const chat = group(world, chatId)
  notifyBot(world, chat, id, () => {
    chat.kicked.delete(id)
    chat.members.add(id)
    chat.admins.set(id, adminRights(rights))
  })
}

/** Kicks a user or bot; a kicked bot gets 403 "bot was kicked from the supergroup chat" afterwards. */
export function removeMember(world: World, chatId: number, id: number): void {
  const chat = group(world, chatId)
  notifyBot(world, chat, id, () => {
    chat.members.delete(id)
    chat.admins.delete(id)
    chat.kicked.add(id)
  })
}

/**
 * An admin restricts a member (a bot loses its admin rights first) so it may no longer post:
 * sends fail with "have no write access to the chat".
 */
export function restrictMember(world: World, chatId: number, id: number, restricted = true): void {
  const chat = group(world, chatId)
  notifyBot(world, chat, id, () => {
    if (restricted) {
      chat.admins.delete(id)
      chat.restricted.add(id)
    } else chat.restricted.delete(id)
  })
}

function someAdminUser(world: World, chat: ChatState): number {
  const id = [...chat.admins.keys()].find((a) => !world.isBot(a)) ?? [...chat.members].find((m) => !world.isBot(m))
  if (id === undefined) throw new Error(`simulator: group ${chat.id} has no people to act`)
  return id
}

function liveTopic(world: World, chatId: number, threadId: number) {
  const chat = group(world, chatId)
  const topic = chat.topics.get(threadId)
  if (!topic || topic.deleted) throw new Error(`simulator: no topic ${threadId} in ${chatId}`)
  return { chat, topic }
}

/**
 * Setup: topics a bot created before the run (the benchmark's seeded customers), without any
 * update. Like createForumTopic it needs a bot admin with can_manage_topics (telegram-facts
 * "Forum topics"); names are cleaned the same way. Returns the thread ids, in order.
 */
export function seedTopics(world: World, chatId: number, creatorBotId: number, names: string[]): number[] {
  const chat = group(world, chatId)
  if (!world.isBot(creatorBotId) || !chat.admins.get(creatorBotId)?.can_manage_topics) throw new Error(`simulator: bot ${creatorBotId} may not create topics in ${chatId}`)
  return names.map((name) => createTopic(world, chat, creatorBotId, cleanTopicName(name), TOPIC_COLORS[0] ?? 0).threadId)
}

/** An admin deletes a topic in the app: no update; bots find out when a send fails. */
export function deleteTopicByHand(world: World, chatId: number, threadId: number): void {
  const { chat, topic } = liveTopic(world, chatId, threadId)
  deleteTopic(chat, topic)
}

/** An admin closes or reopens a topic in the app; admin bots get the service message. */
export function setTopicClosedByHand(world: World, chatId: number, threadId: number, closed: boolean, byUserId?: number): void {
  const { chat, topic } = liveTopic(world, chatId, threadId)
  // core.telegram.org/bots/api#closeforumtopic: closing needs can_manage_topics, unless one is the topic's creator (here: a bot).
  if (byUserId !== undefined && !chat.admins.get(byUserId)?.can_manage_topics) throw new Error(`simulator: user ${byUserId} may not manage topics in ${chatId}`)
  if (topic.closed === closed) return
  topic.closed = closed
  deliverNewMessage(world, serviceMessage(world, chat, byUserId ?? someAdminUser(world, chat), threadId, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} }))
}

/** An admin renames a topic in the app (cleaned like a bot's name); admin bots get forum_topic_edited. */
export function renameTopicByHand(world: World, chatId: number, threadId: number, name: string): void {
  const { chat, topic } = liveTopic(world, chatId, threadId)
  topic.name = cleanTopicName(name)
  deliverNewMessage(world, serviceMessage(world, chat, someAdminUser(world, chat), threadId, { forum_topic_edited: { name: topic.name } }))
}

/** Test switch: closed topics of this group refuse every sender, admins and creators too. */
export function setClosedTopicsRefuseAll(world: World, chatId: number, on: boolean): void {
  group(world, chatId).closedTopicsRefuseAll = on
}
