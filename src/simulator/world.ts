import type { InlineKeyboardMarkup } from 'grammy/types'
import type { Clock } from './clock.js'
import type { FileStore } from './files.js'
import type { Prng } from './prng.js'
import type { AdminRights, Delivery, MessageKind, SimStats } from './types.js'
import type { UpdateQueue } from './update-queue.js'
import type { WebhookSender } from './webhook.js'

/** A wire object under construction (Message, Chat, User...); cast to grammY types at the edges. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Wire = Record<string, any>

export interface BotState {
  id: number
  token: string
  username: string
  firstName: string
  /** Privacy mode off (BotFather /setprivacy → Disable): sees every group message even when not an admin. */
  canReadAllGroupMessages: boolean
  commands: Map<string, unknown[]>
  /** setMyDescription / setMyShortDescription, by language code ('' for the default). */
  descriptions: Map<string, string>
  shortDescriptions: Map<string, string>
  queue: UpdateQueue
  webhook: WebhookSender
}

export interface PendingCallback {
  id: string
  botId: number
  createdAtMs: number
  answered: boolean
  resolve: (answer: { text?: string; show_alert?: boolean } | undefined) => void
}

export interface UserState {
  id: number
  firstName: string
  lastName?: string
  username?: string
  languageCode?: string
  /** Bots this user has blocked. */
  blocked: Set<number>
}

export interface TopicState {
  threadId: number
  name: string
  iconColor: number
  iconCustomEmojiId?: string
  /** The bot or user who created it: it may post in it while closed, and close or edit it without can_manage_topics. */
  creatorId: number
  closed: boolean
  deleted: boolean
}

export interface StoredMessage {
  chat: ChatState
  id: number
  threadId?: number
  senderId: number
  senderIsBot: boolean
  kind: MessageKind
  /** Canonical wire form; file objects carry file_unique_id and get a per-bot file_id when rendered. */
  wire: Wire
  date: number
  deleted: boolean
  edited: boolean
  pinned: boolean
  forwarded: boolean
  reactions: Map<number, string[]>
  replyMarkup?: InlineKeyboardMarkup
  mediaGroupId?: string
  /** Bots that received this message in an update (edits go to them). */
  seenBy: Set<number>
}

export interface ChatState {
  type: 'private' | 'supergroup'
  /** Wire chat id: the user id for private chats, -100… for supergroups. */
  id: number
  title: string
  isForum: boolean
  /** Private chats only: the two parties. */
  botId?: number
  userId?: number
  members: Set<number>
  admins: Map<number, AdminRights>
  kicked: Set<number>
  /** Members restricted from sending messages (can_send_messages: false). */
  restricted: Set<number>
  messages: Map<number, StoredMessage>
  nextMessageId: number
  topics: Map<number, TopicState>
  /** Test switch: closed topics refuse everyone, admins and creators too (the service's TOPIC_CLOSED recovery path). */
  closedTopicsRefuseAll?: boolean
}

/** The whole simulated Telegram: accounts, chats, messages, files and counters. */
export class World {
  readonly bots = new Map<number, BotState>()
  readonly botsByToken = new Map<string, BotState>()
  readonly users = new Map<number, UserState>()
  readonly groups = new Map<number, ChatState>()
  private readonly privates = new Map<string, ChatState>()
  readonly stats: SimStats = { calls: {}, uploads: {}, rateLimited: 0, faults: 0, sent: 0, albumReactionsMoved: 0, pollConflicts: 0 }
  readonly deliveries: Delivery[] = []
  readonly callbacks = new Map<string, PendingCallback>()
  nextUserId = 100_000_001
  nextGroupSeq = 1
  nextBotSeq = 7_000_000_001

  constructor(
    readonly files: FileStore,
    readonly clock: Clock,
    readonly prng: Prng,
  ) {}

  isBot(id: number): boolean {
    return this.bots.has(id)
  }

  privateChat(botId: number, userId: number): ChatState | undefined {
    return this.privates.get(`${botId}:${userId}`)
  }

  /** The user×bot private chat, created on first contact. */
  ensurePrivateChat(botId: number, userId: number): ChatState {
    const existing = this.privateChat(botId, userId)
    if (existing) return existing
    const user = this.users.get(userId)
    const chat: ChatState = {
      type: 'private',
      id: userId,
      title: user?.firstName ?? '',
      isForum: false,
      botId,
      userId,
      members: new Set([botId, userId]),
      admins: new Map(),
      kicked: new Set(),
      restricted: new Set(),
      messages: new Map(),
      nextMessageId: 1,
      topics: new Map(),
    }
    this.privates.set(`${botId}:${userId}`, chat)
    return chat
  }

  privateChatsOf(userId: number): ChatState[] {
    return [...this.privates.values()].filter((c) => c.userId === userId)
  }

  /** Wire User object for a bot or a user id. */
  userWire(id: number): Wire {
    const bot = this.bots.get(id)
    if (bot) return { id, is_bot: true, first_name: bot.firstName, username: bot.username }
    const user = this.users.get(id)
    if (!user) throw new Error(`simulator: unknown user ${id}`)
    return {
      id,
      is_bot: false,
      first_name: user.firstName,
      ...(user.lastName ? { last_name: user.lastName } : {}),
      ...(user.username ? { username: user.username } : {}),
      ...(user.languageCode ? { language_code: user.languageCode } : {}),
    }
  }

  displayName(id: number): string {
    const bot = this.bots.get(id)
    if (bot) return bot.firstName
    const user = this.users.get(id)
    return user ? [user.firstName, user.lastName].filter(Boolean).join(' ') : String(id)
  }

  /** Wire Chat object as it appears inside messages and updates. */
  chatWire(chat: ChatState): Wire {
    if (chat.type === 'supergroup') {
      return { id: chat.id, title: chat.title, type: 'supergroup', ...(chat.isForum ? { is_forum: true } : {}) }
    }
    const user = this.userWire(chat.userId ?? chat.id)
    return {
      id: chat.id,
      type: 'private',
      first_name: user.first_name,
      ...(user.last_name ? { last_name: user.last_name } : {}),
      ...(user.username ? { username: user.username } : {}),
    }
  }

  rightsOf(chat: ChatState, id: number): AdminRights | undefined {
    return chat.admins.get(id)
  }

  isMember(chat: ChatState, id: number): boolean {
    return chat.members.has(id) && !chat.kicked.has(id)
  }

  /** Stores a new message in a chat with the next message id. */
  store(
    chat: ChatState,
    m: Omit<StoredMessage, 'chat' | 'id' | 'date' | 'deleted' | 'edited' | 'pinned' | 'reactions' | 'seenBy' | 'forwarded'> & { forwarded?: boolean },
  ): StoredMessage {
    const id = chat.nextMessageId++
    const date = this.clock.unix()
    const stored: StoredMessage = {
      ...m,
      chat,
      id,
      date,
      deleted: false,
      edited: false,
      pinned: false,
      forwarded: m.forwarded ?? false,
      reactions: new Map(),
      seenBy: new Set(),
    }
    stored.wire = { message_id: id, ...m.wire, date }
    chat.messages.set(id, stored)
    return stored
  }
}
