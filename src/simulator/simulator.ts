import type { AddressInfo } from 'node:net'
import { draftsOf, type DraftUpdate } from './methods/drafts.js'
import type { Server } from 'node:http'
import type { Message } from 'grammy/types'
import { Clock } from './clock.js'
import { createControlHandler, type ControlHandler, type SimDirectory } from './control.js'
import { ephemeralSeenBy, ephemeralSent, pressEphemeralButton, setEphemeralDelivery, type EphemeralDelivery, type EphemeralMessage } from './ephemeral.js'
import { Faults } from './faults.js'
import { FileStore } from './files.js'
import { createHttpServer } from './http-server.js'
import { chatMessages, privateMessages, topicsOf, waitFor } from './inspect.js'
import { Prng } from './prng.js'
import { RateLimiter } from './rate-limiter.js'
import type {
  AdminRights,
  CallbackAnswer,
  Delivery,
  FailNextOptions,
  FaultOptions,
  LatencyOptions,
  RateLimitOptions,
  SimBot,
  SimChat,
  SimMessageView,
  SimStats,
  SimUser,
  SimulatorOptions,
  TopicView,
  UserContent,
} from './types.js'
import * as tokens from './tokens.js'
import * as actions from './user-actions.js'
import { World } from './world.js'
import * as setup from './world-setup.js'

/** A Telegram Bot API simulator: an HTTP server plus methods to set up the world and act as people. */
export class Simulator {
  private baseUrl = ''
  private readonly world: World
  private readonly faults: Faults
  private limiter: RateLimiter | undefined
  private latency: LatencyOptions | false
  private readonly server: Server
  private readonly log: (line: string) => void
  private control: ControlHandler | undefined

  constructor(private readonly options: SimulatorOptions = {}) {
    const prng = new Prng(options.seed ?? 1)
    this.world = new World(new FileStore(options.localFilesDir), new Clock(), prng)
    this.faults = new Faults(options.faults, new Prng((options.seed ?? 1) ^ 0x5eed))
    this.limiter = options.rateLimits ? RateLimiter.create(options.rateLimits) : undefined
    this.latency = options.latency ?? false
    this.log = options.log ?? (() => {})
    this.server = createHttpServer({ world: this.world, faults: this.faults, limiter: () => this.limiter, latency: () => this.latency, log: this.log, control: () => this.control })
  }

  /** e.g. http://127.0.0.1:43121 (no trailing slash): use as grammY's apiRoot. */
  get url(): string {
    return this.baseUrl
  }

  /** Starts listening; resolves once `url` is set. */
  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1'
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.options.port ?? 0, host, () => resolve())
    })
    const { port } = this.server.address() as AddressInfo
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  }

  async close(): Promise<void> {
    for (const bot of this.world.bots.values()) {
      bot.webhook.close()
      bot.queue.cancelPoll()
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  /** Serves `/_sim/…` (act as people, read chats over HTTP; see control.ts) with these names. */
  mountControl(directory: SimDirectory): void {
    this.control = createControlHandler(this, directory)
  }

  setRateLimits(o: RateLimitOptions | false): void {
    this.limiter = o ? RateLimiter.create(o) : undefined
  }

  /** Slows answers down: per method, and uploads by their size (for timeouts and leases). */
  setLatency(o: LatencyOptions | false): void {
    this.latency = o
  }

  setFaults(o: FaultOptions | false): void {
    this.faults.set(o)
  }

  /** Forces the next N calls of `method` (optionally by one bot, to one chat) to fail with this error, or to lose their connection. */
  failNext(o: FailNextOptions): void {
    this.faults.failNext(o)
  }

  /** Moves the simulated clock forward (message dates, the 48 h delete limit, callback answer window). */
  advanceClock(seconds: number): void {
    this.world.clock.advance(seconds)
  }

  // --- world setup ---
  /** A bot; privacy mode is on (Telegram's default) unless `canReadAllGroupMessages`. */
  createBot(o: { token: string; username: string; firstName?: string; canReadAllGroupMessages?: boolean }): SimBot {
    return setup.createBot(this.world, o, this.log)
  }

  /** BotFather's /revoke: the bot's token answers 401 from now on (a waiting getUpdates too); returns its new token. */
  revokeToken(botId: number): string {
    return tokens.revokeToken(this.world, botId)
  }

  /** Gives a bot this token (a new one, or its old one restored); the one it had answers 401 from now on. */
  setToken(botId: number, token: string): void {
    tokens.setToken(this.world, botId, token)
  }

  createUser(o: { firstName: string; lastName?: string; username?: string; languageCode?: string }): SimUser {
    return setup.createUser(this.world, o)
  }

  /**
   * The user started the bot long ago: their private chat exists (no update is sent), so the bot
   * may write first. Telegram refuses a bot's first message otherwise (403 "bot can't initiate
   * conversation with a user", `access.ts`).
   */
  openPrivateChat(userId: number, botId: number): void {
    this.world.ensurePrivateChat(botId, userId)
  }

  createForumGroup(o: { title: string; members?: number[]; admins?: Array<{ id: number; rights?: Partial<AdminRights> }>; isForum?: boolean }): SimChat {
    return setup.createGroup(this.world, o)
  }

  addMember(chatId: number, id: number): void {
    setup.addMember(this.world, chatId, id)
  }

  promote(chatId: number, id: number, rights?: Partial<AdminRights>): void {
    setup.promote(this.world, chatId, id, rights)
  }

  removeMember(chatId: number, id: number): void {
    setup.removeMember(this.world, chatId, id)
  }

  /** Restricts a member from sending (or lifts it); a bot's sends then fail "have no write access to the chat". */
  restrictMember(chatId: number, id: number, restricted = true): void {
    setup.restrictMember(this.world, chatId, id, restricted)
  }

  /** Setup: topics `creatorBotId` created before the run (no updates); returns their thread ids. */
  seedTopics(chatId: number, creatorBotId: number, names: string[]): number[] {
    return setup.seedTopics(this.world, chatId, creatorBotId, names)
  }

  deleteTopicByHand(chatId: number, threadId: number): void {
    setup.deleteTopicByHand(this.world, chatId, threadId)
  }

  /** A person closes a topic in the app: `byUserId` (an admin who may manage topics), else some person of the group. */
  closeTopicByHand(chatId: number, threadId: number, byUserId?: number): void {
    setup.setTopicClosedByHand(this.world, chatId, threadId, true, byUserId)
  }

  reopenTopicByHand(chatId: number, threadId: number, byUserId?: number): void {
    setup.setTopicClosedByHand(this.world, chatId, threadId, false, byUserId)
  }

  renameTopicByHand(chatId: number, threadId: number, name: string): void {
    setup.renameTopicByHand(this.world, chatId, threadId, name)
  }

  /** Test switch: closed topics of this group refuse every sender (as if no bot could manage topics), to exercise TOPIC_CLOSED recovery. */
  setClosedTopicsRefuseAll(chatId: number, on = true): void {
    setup.setClosedTopicsRefuseAll(this.world, chatId, on)
  }

  // --- acting as people ---
  sendPrivate(userId: number, botId: number, content: UserContent, o?: { replyTo?: number }): Message {
    return actions.sendPrivate(this.world, userId, botId, content, o)
  }

  sendGroup(userId: number, chatId: number, content: UserContent, o?: { threadId?: number; replyTo?: number }): Message {
    return actions.sendGroup(this.world, userId, chatId, content, o)
  }

  sendAlbum(userId: number, chat: { botId: number } | { chatId: number; threadId?: number }, items: UserContent[]): Message[] {
    return actions.sendAlbum(this.world, userId, chat, items)
  }

  editMessage(userId: number, chatId: number, messageId: number, content: UserContent, o?: { botId?: number }): Message {
    return actions.editMessage(this.world, userId, chatId, messageId, content, o?.botId)
  }

  /** Moves a user's live location (sent with `location.live_period`); bots that saw it get edited_message. */
  moveLiveLocation(userId: number, chatId: number, messageId: number, position: { latitude: number; longitude: number; heading?: number }, o?: { botId?: number }): Message {
    return actions.moveLiveLocation(this.world, userId, chatId, messageId, position, o?.botId)
  }

  react(userId: number, chatId: number, messageId: number, emojis: string[], o?: { botId?: number }): void {
    actions.react(this.world, userId, chatId, messageId, emojis, o?.botId)
  }

  /** `forged`: send data that is not on the message (a modified client); the message must still have a callback button. */
  pressButton(userId: number, chatId: number, messageId: number, callbackData: string, o?: { botId?: number; forged?: boolean }): Promise<CallbackAnswer | undefined> {
    return actions.pressButton(this.world, userId, chatId, messageId, callbackData, o)
  }

  /** A person pins a message (in a group, or their private chat with a bot: chat id = bot id). */
  pinByHand(userId: number, chatId: number, messageId: number, o?: { botId?: number }): void {
    actions.pinByHand(this.world, userId, chatId, messageId, o?.botId)
  }

  setAutoDeleteTimer(userId: number, chatId: number, seconds: number, o?: { botId?: number }): void {
    actions.setAutoDeleteTimer(this.world, userId, chatId, seconds, o?.botId)
  }

  blockBot(userId: number, botId: number): void {
    actions.setBlocked(this.world, userId, botId, true)
  }

  unblockBot(userId: number, botId: number): void {
    actions.setBlocked(this.world, userId, botId, false)
  }

  /** How the next ephemeral sends fare: delivered, refused (the call fails), or lost (accepted, never shown). */
  setEphemeralDelivery(delivery: EphemeralDelivery): void {
    setEphemeralDelivery(this.world, delivery)
  }

  /** The receiver of an ephemeral message presses one of its buttons (nobody else sees it). */
  pressEphemeralButton(userId: number, chatId: number, ephemeralMessageId: number, callbackData: string): Promise<CallbackAnswer | undefined> {
    return pressEphemeralButton(this.world, userId, chatId, ephemeralMessageId, callbackData)
  }

  // --- inspection ---
  /** What one person sees in a group (optionally one topic): its messages, and the ephemeral ones sent to them. */
  seenBy(userId: number, chatId: number, o: { threadId?: number } = {}): { messages: SimMessageView[]; ephemeral: EphemeralMessage[] } {
    return { messages: chatMessages(this.world, chatId, o), ephemeral: ephemeralSeenBy(this.world, userId, chatId, o.threadId) }
  }

  /** Every ephemeral message sent in a chat, whoever it was for (lost and deleted ones too). */
  ephemeralSent(chatId: number): EphemeralMessage[] {
    return ephemeralSent(this.world, chatId)
  }

  /** The drafts a bot streamed into a user's private chat (`sendMessageDraft`), oldest first. */
  draftsIn(userId: number, botId?: number): DraftUpdate[] {
    return draftsOf(this.world).filter((d) => d.chatId === userId && (botId === undefined || d.botId === botId))
  }

  chatMessages(chatId: number, o?: { threadId?: number; includeDeleted?: boolean; botId?: number }): SimMessageView[] {
    return chatMessages(this.world, chatId, o)
  }

  privateMessages(userId: number, botId: number, o?: { includeDeleted?: boolean }): SimMessageView[] {
    return privateMessages(this.world, userId, botId, o)
  }

  /** The bytes of a file object, as a person opening it would get them (copies re-uploaded by bots have new ids). */
  fileBytes(fileUniqueId: string): Buffer | undefined {
    return this.world.files.get(fileUniqueId)?.bytes
  }

  topics(chatId: number): TopicView[] {
    return topicsOf(this.world, chatId)
  }

  /** The last error of a bot's webhook delivery, as getWebhookInfo reports it. */
  webhookError(botId: number): string | undefined {
    return this.world.bots.get(botId)?.webhook.config?.lastErrorMessage
  }

  /** The update types a bot currently receives (its last allowed_updates, or the default). */
  allowedUpdates(botId: number): string[] {
    return [...(this.world.bots.get(botId)?.queue.allowed ?? [])]
  }

  waitFor<T>(probe: () => T | undefined | false | null, o?: { timeoutMs?: number; message?: string }): Promise<T> {
    return waitFor(probe, o)
  }

  stats(): SimStats {
    return structuredClone(this.world.stats)
  }

  /** Every message created by a bot, in creation order (the witness for delivery counting). */
  deliveries(): Delivery[] {
    return this.world.deliveries.map((d) => ({ ...d }))
  }
}

export async function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  const sim = new Simulator(options)
  await sim.listen()
  return sim
}
