import { eq, inArray, sql } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { Database, DbOrTx } from '../../db/client.js'
import { accounts, activeTopicStates, customers, profileCards, topics } from '../../db/schema/index.js'
import { reassignMenuKeyboard } from '../buttons/reassign.js'
import { findCustomer } from '../customers.js'
import { enqueueTo } from '../enqueue-to.js'
import { profileCard } from '../onboarding/open-topics.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { homeRole } from '../roles.js'
import { loadProfileExtras } from './profile-extras.js'

/**
 * Locks the customer's row first thing in a transaction that changes their tags or notes, so
 * two changes at once queue their card edits in commit order and the last edit shows both.
 */
export async function lockProfile(tx: DbOrTx, customerId: number): Promise<void> {
  await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).for('update')
}

export interface PostedProfileCard {
  topicId: number
  chatId: number
  messageId: number
  botId: number
}

/**
 * Records where a topic's profile card was posted (reported by delivery; a recreated topic's new
 * card replaces the old one), then runs `andThen` (the edits the new card needs) in the same
 * transaction. The customer's row is locked first, as every change of what a card shows does
 * (owner, tags, notes): a change committed meanwhile either sees this card or is seen here.
 * Returns what `andThen` returned, or undefined when the topic is unknown.
 */
export async function recordProfileCard<T>(
  db: Database,
  card: PostedProfileCard,
  andThen: (tx: DbOrTx, topic: { projectId: number; customerId: number }) => Promise<T>,
): Promise<T | undefined> {
  const [topic] = await db.select({ projectId: topics.projectId, customerId: topics.customerId }).from(topics).where(eq(topics.id, card.topicId))
  if (!topic) return undefined
  return db.transaction(async (tx) => {
    // First in the transaction, so what it reads next is read after any change holding the lock.
    await lockProfile(tx, topic.customerId)
    await tx
      .insert(profileCards)
      .values(projectRow(profileCards, topic.projectId, { ...card }))
      .onDuplicateKeyUpdate({ set: { chatId: sql`VALUES(chat_id)`, messageId: sql`VALUES(message_id)`, botId: sql`VALUES(bot_id)` } })
    return andThen(tx, topic)
  })
}

/**
 * Queues an edit of each posted profile card of the customer's live topics (or only of
 * `newCardOf`'s, when it was just posted and the customer has an owner, tags or notes it lacks) so they
 * show the current owner, tags and notes. Cards are edited by the bot that posted them; the home
 * topic's card keeps its buttons.
 */
export async function queueProfileCardEdits(tx: DbOrTx, project: ProjectRuntime, customerId: number, newCardOf?: number): Promise<number> {
  const customer = await findCustomer(tx, customerId)
  const [account] = customer?.accountId ? await tx.select().from(accounts).where(eq(accounts.id, customer.accountId)) : []
  if (!customer || !account) return 0
  const cards = await tx
    .select({ card: profileCards, role: topics.role })
    .from(profileCards)
    .innerJoin(topics, eq(topics.id, profileCards.topicId))
    .where(
      inProject(
        profileCards,
        project.id,
        inProject(topics, project.id),
        eq(topics.customerId, customerId),
        inArray(topics.state, activeTopicStates),
        ...(newCardOf === undefined ? [] : [eq(topics.id, newCardOf)]),
      ),
    )
  if (cards.length === 0) return 0
  const extras = await loadProfileExtras(tx, { projectId: project.id }, textsOf(project), customerId)
  if (newCardOf !== undefined && extras.tags.length === 0 && extras.latestNotes.length === 0 && !extras.answers?.length && customer.ownerUserId === null) return 0
  const assignment = { crTeam: customer.crTeam ?? '—', treatment: customer.treatment, decidedBy: { id: 0, name: '' } }
  for (const { card, role } of cards) {
    const text = profileCard(project, customer, account, assignment, role, extras)
    const keyboard = role === homeRole(project.roles).key ? { replyMarkup: reassignMenuKeyboard(project, customer.id) } : {}
    await enqueueTo(
      tx,
      project,
      { kind: 'posted', chatId: card.chatId, botId: card.botId, topicId: card.topicId },
      { type: 'edit_text', chatId: card.chatId, messageId: card.messageId, text, ...keyboard },
    )
  }
  return cards.length
}
