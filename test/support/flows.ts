import type { InlineKeyboardMarkup, Message } from 'grammy/types'
import type { SampleWorld } from '../../src/demo/sample-world.js'
import type { Harness } from './harness.js'
import { customers } from '../../src/db/schema/index.js'
import { outboxIdle, outboxSettled, serviceSettled } from './poll.js'

/** Last message a user sees from a bot in their private chat. */
export function lastPrivate(h: Harness, userId: number, botId: number) {
  const messages = h.sim.privateMessages(userId, botId).filter((m) => m.from.is_bot)
  return messages[messages.length - 1]
}

/** Waits for a bot message in the user's private chat whose text matches. */
export function waitForPrivate(h: Harness, userId: number, botId: number, pattern: RegExp | string) {
  return h.sim.waitFor(
    () =>
      h.sim.privateMessages(userId, botId).find((m) => m.from.is_bot && m.text !== undefined && (typeof pattern === 'string' ? m.text.includes(pattern) : pattern.test(m.text))),
    { message: `private message matching ${pattern}` },
  )
}

/** Sends a command in a staff group (General, or a topic) and waits for the bot's answer to it. */
export function askInGroup(h: Harness, userId: number, chatId: number, text: string, threadId?: number) {
  const sent = h.sim.sendGroup(userId, chatId, { text }, threadId ? { threadId } : {})
  return h.sim.waitFor(() => h.sim.chatMessages(chatId).find((m) => m.from.is_bot && m.reply_to_message_id === sent.message_id), { message: `answer to ${text}` })
}

/** Sends a text to a bot in a private chat and waits for the bot's next message there. */
export function askPrivately(h: Harness, userId: number, botId: number, text: string) {
  const sent = h.sim.sendPrivate(userId, botId, { text })
  return h.sim.waitFor(() => h.sim.privateMessages(userId, botId).find((m) => m.from.is_bot && m.message_id > sent.message_id), { message: `private answer to ${text}` })
}

/** The customer's topic in a group (by name prefix), once it exists. */
export function waitForTopic(h: Harness, chatId: number, namePrefix: string) {
  return h.sim.waitFor(() => h.sim.topics(chatId).find((t) => t.name.startsWith(namePrefix) && !t.deleted), { message: `topic ${namePrefix} in ${chatId}` })
}

export function waitForTopicMessage(h: Harness, chatId: number, threadId: number, pattern: RegExp | string | ((m: ReturnType<Harness['sim']['chatMessages']>[number]) => boolean)) {
  return h.sim.waitFor(
    () =>
      h.sim
        .chatMessages(chatId, { threadId })
        .find((m) => (typeof pattern === 'function' ? pattern(m) : m.text !== undefined && (typeof pattern === 'string' ? m.text.includes(pattern) : pattern.test(m.text)))),
    { message: `message ${String(pattern)} in topic ${threadId}` },
  )
}

/**
 * Takes a client from /start to an assigned customer with topics: email, card, a lead's press.
 * Returns the thread ids of their topics.
 */
export async function onboard(
  h: Harness,
  client: { id: number },
  email: string,
  team: 'north' | 'south',
  options: { treatment?: boolean; world?: SampleWorld; name?: string; startPayload?: string } = {},
) {
  const { sim } = h
  const world = options.world ?? h.world
  sim.sendPrivate(client.id, world.bots.client.id, { text: options.startPayload ? `/start ${options.startPayload}` : '/start' })
  await waitForPrivate(h, client.id, world.bots.client.id, 'email')
  sim.sendPrivate(client.id, world.bots.client.id, { text: email })
  const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes(email) && !m.text.includes('Assigned')))
  if (options.treatment) {
    await sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, buttonData(card, 'Treatment'))
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.message_id === card.message_id && JSON.stringify(m.reply_markup).includes('☑')))
  }
  const answer = await sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, `as:${cardAssignmentId(card)}:cr:${team}`)
  const name = options.name ?? accountName(world, email)
  const csTopic = await waitForTopic(h, world.groups.cs.id, name)
  const crTopic = await waitForTopic(h, team === 'north' ? world.groups.north.id : world.groups.south.id, name)
  await waitForPrivate(h, client.id, world.bots.client.id, 'Your team is ready')
  // The topics exist in Telegram once createForumTopic answered, but the service learns their
  // threads when it records that answer, and its cards, pins and notices follow: a staff message
  // in a topic before then is in a topic it does not know yet, and was ignored (a test then waited
  // 60 s for an answer). A person starts once onboarding's sends are out.
  await outboxIdle(h.database.db)
  return { answer, card, cs: csTopic.message_thread_id, cr: crTopic.message_thread_id, crChat: team === 'north' ? world.groups.north.id : world.groups.south.id }
}

type WithKeyboard = { reply_markup?: InlineKeyboardMarkup }

export function buttonData(card: WithKeyboard, label: string): string {
  const button = card.reply_markup?.inline_keyboard.flat().find((b) => b.text.includes(label)) as { callback_data?: string } | undefined
  if (!button?.callback_data) throw new Error(`No button ${label}`)
  return button.callback_data
}

export function cardAssignmentId(card: WithKeyboard): number {
  const first = card.reply_markup?.inline_keyboard.flat()[0] as { callback_data?: string } | undefined
  return Number(/^as:(\d+):/.exec(first?.callback_data ?? '')?.[1])
}

/** The file_unique_id a sent message carries, whatever its media kind. */
export function fileUniqueIdOf(message: Message): string | undefined {
  const m = message as unknown as Record<string, { file_unique_id?: string } | undefined>
  if (message.photo) return message.photo.at(-1)?.file_unique_id
  for (const kind of ['video', 'animation', 'audio', 'voice', 'video_note', 'document', 'sticker']) if (m[kind]?.file_unique_id) return m[kind].file_unique_id
  return undefined
}

/**
 * The bytes of the file a message shows. A bot's re-upload is a new file object with a new
 * file_unique_id (as on Telegram), so copies are compared with their originals by content.
 */
export function fileBytesOf(h: Harness, fileUniqueId: string | undefined): Buffer | undefined {
  return fileUniqueId === undefined ? undefined : h.sim.fileBytes(fileUniqueId)
}

function accountName(world: SampleWorld, email: string): string {
  const person = email.startsWith('zoe') ? world.people.zoe : world.people.yuri
  return person.firstName
}

export type OnboardedTopics = Awaited<ReturnType<typeof onboard>>

/**
 * Takes away the owners routing gave at onboarding (once their notices and card edits are out),
 * for tests of life without an owner or that choose owners themselves.
 */
export async function clearOwners(h: Harness): Promise<void> {
  await outboxSettled(h.app.db)
  await h.database.db.update(customers).set({ ownerUserId: null, queuedAt: null })
}

/**
 * Zoe writes "<prefix> <i>" for i in [from, to) to the client bot; resolves once the CS topic
 * shows them all and the service is settled, with the topic's copies of that prefix (every one
 * so far, in the order shown), for the caller to compare.
 */
export async function zoeBurst(h: Harness, topics: OnboardedTopics, prefix: string, from: number, to: number): Promise<string[]> {
  const { sim, world } = h
  const copies = () =>
    sim
      .chatMessages(world.groups.cs.id, { threadId: topics.cs })
      .map((m) => m.text ?? '')
      .filter((t) => t.startsWith(`${prefix} `))
  for (let i = from; i < to; i++) sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: `${prefix} ${i}` })
  await sim.waitFor(() => copies().length >= to)
  await serviceSettled(h.database.db)
  return copies()
}
