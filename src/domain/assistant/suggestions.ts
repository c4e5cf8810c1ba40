import { and, desc, eq, inArray } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { assistantSuggestions, customers, messages, outbox, topics, type SuggestionState } from '../../db/schema/index.js'
import { suggestionKeyboard } from '../buttons/suggestion.js'
import { activeTopics, findCustomer, type Customer, type Topic } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { enqueueTo } from '../enqueue-to.js'
import { groupRefusal } from '../permissions.js'
import { staffGroupOf, staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { homeRole } from '../roles.js'
import { queueTopicText } from '../topic-notices.js'
import { queueAssistantJob } from './jobs.js'
import { assistantModeOf } from './mode.js'
import type { AssistantTrigger } from './triggers.js'

export type SuggestionRow = typeof assistantSuggestions.$inferSelect
/** The states a suggestion waits for a person in. */
export const WAITING: SuggestionState[] = ['shown', 'editing']

/** What a `suggest` job is given: the client message to suggest a reply to. */
export interface SuggestJobPayload {
  customerId: number
  messageId: number
}

/**
 * Suggest mode's trigger. A client message: every suggestion still waiting for that customer is
 * superseded (ignored) and, in suggest mode, a `suggest` job is queued for the message. A staff
 * message: the suggestion its author is editing becomes `edited` (their message is their version,
 * matched by chat + author + the pending Edit, not by reply_to_message, which "may be omitted" for
 * a reply to an ephemeral message: Bot API `Message.reply_to_message`); any other waiting
 * suggestion was answered by hand: `ignored`.
 */
export const suggestionTrigger: AssistantTrigger = async (tx, clock, project, event) => {
  const { customer, stored } = event
  if (event.kind === 'client_message') {
    await endWaiting(tx, project, customer.id, clock.now(), () => 'ignored')
    if (assistantModeOf(project, customer) !== 'suggest' || !stored.text) return
    const payload: SuggestJobPayload = { customerId: customer.id, messageId: stored.id }
    await queueAssistantJob(tx, project, { kind: 'suggest', payload, customerId: customer.id })
    return
  }
  const typedIn = stored.chatId !== 0 ? stored.chatId : undefined
  await endWaiting(tx, project, customer.id, clock.now(), (row, chatId) =>
    row.state === 'editing' && row.decidedBy === stored.senderUserId && chatId === typedIn ? 'edited' : 'ignored',
  )
}

/** Ends the customer's waiting suggestions with the fate `fate` gives each, closing their messages. */
async function endWaiting(tx: DbOrTx, project: ProjectRuntime, customerId: number, now: Date, fate: (row: SuggestionRow, chatId: number) => SuggestionState): Promise<void> {
  const waiting = await tx
    .select({ row: assistantSuggestions, chatId: topics.chatId })
    .from(assistantSuggestions)
    .innerJoin(topics, inProject(topics, assistantSuggestions.projectId, eq(topics.id, assistantSuggestions.topicId)))
    .where(inProject(assistantSuggestions, project.id, eq(assistantSuggestions.customerId, customerId), inArray(assistantSuggestions.state, WAITING)))
    .for('update')
  for (const { row, chatId } of waiting) {
    const state = fate(row, chatId)
    await setSuggestionState(tx, project, row, state, state === 'edited' ? (row.decidedBy ?? undefined) : undefined, now)
    const text = textsOf(project).staff(state === 'edited' ? 'suggestionEdited' : 'suggestionIgnored')
    await closeSuggestionMessages(tx, project, row, text)
  }
}

/** Records a suggestion's new state (and who decided). */
export async function setSuggestionState(tx: DbOrTx, project: ProjectRuntime, row: SuggestionRow, state: SuggestionState, by: number | undefined, at: Date): Promise<void> {
  await tx
    .update(assistantSuggestions)
    .set({ state, decidedAt: at, ...(by !== undefined ? { decidedBy: by } : {}) })
    .where(inProject(assistantSuggestions, project.id, eq(assistantSuggestions.id, row.id)))
}

/** The facts a `suggest` job works from; undefined when the message is no longer the customer's latest (superseded) or suggest mode is off. */
export async function suggestionContext(
  db: DbOrTx,
  project: ProjectRuntime,
  payload: SuggestJobPayload,
): Promise<{ customer: Customer; question: string; conversation: ConversationLine[] } | undefined> {
  const customer = await findCustomer(db, payload.customerId)
  if (!customer || customer.projectId !== project.id || assistantModeOf(project, customer) !== 'suggest') return undefined
  const conversation = await recentConversation(db, customer.id)
  const lastClient = conversation.filter((line) => line.origin === 'client').at(-1)
  if (!lastClient || lastClient.id !== payload.messageId) return undefined
  return { customer, question: lastClient.text, conversation }
}

export interface ConversationLine {
  id: number
  origin: 'client' | 'staff'
  text: string
}

/** The conversation's last relayed text messages, oldest first (the context of every assistant prompt: suggestions, answers, summaries): no internal note, nothing a risk phrase held or dropped, nothing deleted. */
export async function recentConversation(db: DbOrTx, customerId: number, limit = 12): Promise<ConversationLine[]> {
  const rows = await db
    .select({ id: messages.id, origin: messages.origin, text: messages.text, notRelayed: messages.notRelayed, internalNote: messages.internalNote })
    .from(messages)
    .where(and(eq(messages.customerId, customerId), eq(messages.deleted, false)))
    .orderBy(desc(messages.id))
    .limit(limit * 2)
  return rows
    .filter((row) => row.text && !row.internalNote && !row.notRelayed && (row.origin === 'client' || row.origin === 'staff'))
    .slice(0, limit)
    .reverse()
    .map((row) => ({ id: row.id, origin: row.origin, text: row.text! }))
}

/** Where a suggestion is shown: the owner's topic (an ephemeral message to them), else the home (CS) topic for its people. */
async function placeOf(db: DbOrTx, project: ProjectRuntime, customer: Customer): Promise<{ topic: Topic; receiver?: number } | undefined> {
  const open = await activeTopics(db, customer.id)
  const owner = customer.ownerUserId !== null && staffMember(project, customer.ownerUserId) ? customer.ownerUserId : undefined
  if (owner !== undefined) {
    const ownTopic = open.find((topic) => {
      const group = staffGroupOf(project, topic.chatId)
      return group && !groupRefusal(project, owner, group)
    })
    if (ownTopic) return { topic: ownTopic, receiver: owner }
  }
  const home = open.find((topic) => topic.role === homeRole(project.roles).key)
  return home ? { topic: home } : undefined
}

/** The suggestion as staff read it: the reply, then its sources. */
export function suggestionText(project: ProjectRuntime, text: string, sources: readonly string[]): string {
  const t = textsOf(project)
  const cited = sources.length ? `\n\n${t.staff('suggestionSources', { sources: sources.join(', ') })}` : ''
  return `${t.staff('suggestionTitle')}\n\n${text}${cited}`
}

/**
 * Records a suggested reply and shows it: to the customer's owner as an ephemeral message in
 * their topic (a `suggest_fallback` job posts it as a normal 🤖 message if Telegram refuses it), or,
 * with nobody owning the customer, as a normal 🤖 message in the CS topic. Never sent to the
 * client here: only a person's press does that. Returns the suggestion's id.
 */
export async function showSuggestion(
  deps: Pick<DomainDeps, 'db' | 'notify' | 'clock'>,
  project: ProjectRuntime,
  input: { customer: Customer; messageId: number; text: string; sources: string[] },
): Promise<number | undefined> {
  const id = await deps.db.transaction(async (tx) => {
    // A job run twice (a retry, an expired lease) shows one suggestion: the customer row's lock orders the runs.
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customer.id)).for('update')
    const [shown] = await tx
      .select({ id: assistantSuggestions.id })
      .from(assistantSuggestions)
      .where(inProject(assistantSuggestions, project.id, eq(assistantSuggestions.messageId, input.messageId)))
      .limit(1)
    if (shown) return undefined
    const place = await placeOf(tx, project, input.customer)
    if (!place) return undefined
    const [inserted] = await tx.insert(assistantSuggestions).values(
      projectRow(assistantSuggestions, project.id, {
        customerId: input.customer.id,
        messageId: input.messageId,
        topicId: place.topic.id,
        receiverUserId: place.receiver ?? null,
        text: input.text,
        sources: JSON.stringify(input.sources),
      }),
    )
    const suggestionId = Number(inserted.insertId)
    const row = (await tx.select().from(assistantSuggestions).where(eq(assistantSuggestions.id, suggestionId)))[0]!
    if (place.receiver === undefined) return postSuggestionInTopic(tx, project, row).then(() => suggestionId)
    const ephemeralOutboxId = await enqueueTo(
      tx,
      project,
      { kind: 'topic', topic: place.topic },
      {
        type: 'ephemeral',
        op: 'send',
        target: { kind: 'topic', topicId: place.topic.id },
        receiverUserId: place.receiver,
        text: suggestionText(project, input.text, input.sources),
        replyMarkup: suggestionKeyboard(project, suggestionId, input.customer.id),
      },
    )
    await tx.update(assistantSuggestions).set({ ephemeralOutboxId }).where(eq(assistantSuggestions.id, suggestionId))
    await queueAssistantJob(tx, project, { kind: 'suggest_fallback', payload: { suggestionId, round: 0, customerId: input.customer.id }, customerId: input.customer.id }) // checked at once, then every 2 s while the send is queued
    return suggestionId
  })
  deps.notify()
  return id
}

/** The normal message of a suggestion (marked 🤖, everyone in the topic sees it); its outbox row is kept to close it later. */
async function postSuggestionInTopic(tx: DbOrTx, project: ProjectRuntime, row: SuggestionRow): Promise<void> {
  const [topic] = await tx.select({ id: topics.id, role: topics.role }).from(topics).where(eq(topics.id, row.topicId))
  if (!topic) return
  const text = suggestionText(project, row.text, JSON.parse(row.sources) as string[])
  const fallbackOutboxId = await queueTopicText(tx, project, topic, text, { replyMarkup: suggestionKeyboard(project, row.id, row.customerId) })
  await tx.update(assistantSuggestions).set({ fallbackOutboxId }).where(eq(assistantSuggestions.id, row.id))
}

/**
 * The fallback check (a `suggest_fallback` job, a few seconds after the ephemeral send): a refused
 * send (dead outbox row) is posted as a normal message; 'wait' while the send is still queued.
 */
export async function checkSuggestionFallback(deps: Pick<DomainDeps, 'db' | 'notify'>, project: ProjectRuntime, suggestionId: number): Promise<'posted' | 'delivered' | 'wait'> {
  const outcome = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(assistantSuggestions)
      .where(inProject(assistantSuggestions, project.id, eq(assistantSuggestions.id, suggestionId)))
      .for('update')
    if (!row || !WAITING.includes(row.state) || row.fallbackOutboxId !== null || row.ephemeralOutboxId === null) return 'delivered' as const
    const [send] = await tx.select({ state: outbox.state }).from(outbox).where(eq(outbox.id, row.ephemeralOutboxId))
    if (send?.state === 'sent') return 'delivered' as const
    if (send && send.state !== 'dead') return 'wait' as const
    await postSuggestionInTopic(tx, project, row)
    return 'posted' as const
  })
  if (outcome === 'posted') deps.notify()
  return outcome
}

/** Once a suggestion is decided: its ephemeral message and its normal one (when sent) say so, without buttons. */
export async function closeSuggestionMessages(tx: DbOrTx, project: ProjectRuntime, row: SuggestionRow, text: string, pressedEphemeralId?: number): Promise<void> {
  const ids = [row.ephemeralOutboxId, row.fallbackOutboxId].filter((id): id is number => id !== null)
  const rows = ids.length
    ? await tx
        .select()
        .from(outbox)
        .where(inProject(outbox, project.id, inArray(outbox.id, ids)))
    : []
  // Without the suggested text: these edits go to a posted message, where `forget` does not look for the customer's words.
  const shown = `${textsOf(project).staff('suggestionClosedTitle')}\n${text}`
  for (const sent of rows) {
    const result = sent.state === 'sent' && sent.result ? (JSON.parse(sent.result) as { chatId?: number; messageId?: number; ephemeralMessageId?: number | null }) : {}
    if (!result.chatId) continue
    const posted = { kind: 'posted' as const, chatId: result.chatId, botId: sent.botId }
    if (sent.id === row.ephemeralOutboxId) {
      const ephemeralMessageId = result.ephemeralMessageId ?? pressedEphemeralId
      if (ephemeralMessageId && row.receiverUserId)
        await enqueueTo(tx, project, posted, { type: 'ephemeral', op: 'edit', chatId: result.chatId, receiverUserId: row.receiverUserId, ephemeralMessageId, text: shown })
    } else if (result.messageId) {
      await enqueueTo(tx, project, posted, { type: 'edit_text', chatId: result.chatId, messageId: result.messageId, text: shown })
    }
  }
}
