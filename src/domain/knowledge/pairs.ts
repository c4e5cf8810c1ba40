import { and, desc, eq, like, lt } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { kbChunks, messages } from '../../db/schema/index.js'
import { resolveActedOn } from '../relay/acted-on.js'
import type { DomainDeps } from '../deps.js'
import type { InboundMessage } from '../inbound.js'
import { refusalFor } from '../permissions.js'
import { textsOf, viewerOf, type ProjectRuntime, type StaffGroup } from '../project-runtime.js'
import { chunkHash, CONVERSATION_SOURCE, indexTerms } from './sync.js'

export type KnowledgeOutcome = { ok: true; text: string } | { ok: false; reason: string }

/** How far back the question of an answer is looked for (the client's messages since the staff's previous answer). */
const QUESTION_LOOKBACK = 10
/** A pair's section is its question, shortened. */
const SECTION_CHARS = 120
/** The question kept of long client messages (with a 4096-character answer, the passage fits its TEXT column in any script). */
const QUESTION_CHARS = 2000

/**
 * `/kb add` as a reply to a staff answer in a customer's topic (or a mirror of it): the client's
 * question (the message the answer replies to, else the client's messages since the staff's
 * previous answer) and the answer become an approved passage, `conversation:<customer id>`, so
 * retrieval finds them like a file's. CS leads only. Embedded at the next sync.
 */
export async function addKnowledgePair(deps: DomainDeps, project: ProjectRuntime, group: StaffGroup, botId: number, command: InboundMessage): Promise<KnowledgeOutcome> {
  const t = textsOf(project)
  const userId = command.from?.id ?? 0
  const refusal = refusalFor(project, userId, 'manage_knowledge', undefined, group)
  if (refusal) return { ok: false, reason: refusal }
  const target = command.reply_to_message
  if (!target || (command.is_topic_message && target.message_id === command.message_thread_id)) return { ok: false, reason: t.staff('kbAddHowTo') }
  const found = await resolveActedOn(deps.db, viewerOf(project, botId), command.chat.id, target.message_id)
  const answer = found?.message
  if (!answer || answer.origin !== 'staff' || answer.internalNote || !answer.text?.trim()) return { ok: false, reason: t.staff('kbAddNotAnswer') }
  // Held or blocked by a risk phrase (or otherwise kept back): the client never read it.
  if (answer.notRelayed) return { ok: false, reason: t.staff('kbAddNotRelayed') }
  const question = await questionOf(deps.db, answer)
  if (!question) return { ok: false, reason: t.staff('kbAddNoQuestion') }
  const section = question.replace(/\s+/g, ' ').slice(0, SECTION_CHARS)
  const text = `Q: ${question}\nA: ${answer.text.trim()}`
  const hash = chunkHash(section, text)
  const source = `${CONVERSATION_SOURCE}${answer.customerId}`
  const [existing] = await deps.db
    .select({ id: kbChunks.id })
    .from(kbChunks)
    .where(inProject(kbChunks, project.id, eq(kbChunks.source, source), eq(kbChunks.hash, hash)))
  if (existing) return { ok: true, text: t.staff('kbAlreadyAdded', { id: existing.id }) }
  const [inserted] = await deps.db
    .insert(kbChunks)
    .values(projectRow(kbChunks, project.id, { source, section, text, terms: indexTerms(section, text), hash, customerId: answer.customerId, approvedBy: userId }))
  return { ok: true, text: t.staff('kbAdded', { id: inserted.insertId, question: section }) }
}

/** The client's words an answer answers: the client message it replies to, else theirs since the staff's previous answer. */
async function questionOf(db: DbOrTx, answer: typeof messages.$inferSelect): Promise<string | undefined> {
  if (answer.replyToRowId) {
    const [asked] = await db.select().from(messages).where(eq(messages.id, answer.replyToRowId))
    if (asked?.origin === 'client' && !asked.deleted && asked.text?.trim()) return asked.text.trim().slice(0, QUESTION_CHARS)
  }
  const before = await db
    .select({ origin: messages.origin, text: messages.text, deleted: messages.deleted, internalNote: messages.internalNote })
    .from(messages)
    .where(and(eq(messages.customerId, answer.customerId), lt(messages.id, answer.id)))
    .orderBy(desc(messages.id))
    .limit(QUESTION_LOOKBACK)
  const asked: string[] = []
  for (const message of before) {
    if (message.origin === 'staff' && !message.internalNote) break
    if (message.origin === 'client' && !message.deleted && message.text?.trim()) asked.unshift(message.text.trim())
  }
  return asked.length ? asked.join('\n').slice(0, QUESTION_CHARS) : undefined
}

/** `/kb list`: the approved pairs, newest first (up to 20), and how many passages the files give. CS leads only. */
export async function listKnowledgePairs(db: DbOrTx, project: ProjectRuntime, userId: number, group: StaffGroup): Promise<KnowledgeOutcome> {
  const t = textsOf(project)
  const refusal = refusalFor(project, userId, 'manage_knowledge', undefined, group)
  if (refusal) return { ok: false, reason: refusal }
  const pairs = await db
    .select({ id: kbChunks.id, section: kbChunks.section, customerId: kbChunks.customerId })
    .from(kbChunks)
    .where(inProject(kbChunks, project.id, like(kbChunks.source, `${CONVERSATION_SOURCE}%`)))
    .orderBy(desc(kbChunks.id))
    .limit(20)
  if (pairs.length === 0) return { ok: true, text: t.staff('kbListNone') }
  const lines = pairs.map((pair) => t.staff('kbListLine', { id: pair.id, question: pair.section, customerId: pair.customerId ?? 0 }))
  return { ok: true, text: [t.staff('kbListTitle'), ...lines].join('\n') }
}

/** `/kb remove <id>`: deletes an approved pair (a file's passages change with their file). CS leads only. */
export async function removeKnowledgePair(db: DbOrTx, project: ProjectRuntime, userId: number, group: StaffGroup, id: number): Promise<KnowledgeOutcome> {
  const t = textsOf(project)
  const refusal = refusalFor(project, userId, 'manage_knowledge', undefined, group)
  if (refusal) return { ok: false, reason: refusal }
  const [deleted] = await db.delete(kbChunks).where(inProject(kbChunks, project.id, eq(kbChunks.id, id), like(kbChunks.source, `${CONVERSATION_SOURCE}%`)))
  return deleted.affectedRows ? { ok: true, text: t.staff('kbRemoved', { id }) } : { ok: false, reason: t.staff('kbUnknown', { id }) }
}

/** The approved pairs taken from a customer's conversation (their data export). */
export async function customerKnowledgePairs(db: DbOrTx, projectId: number, customerId: number) {
  return db
    .select({ id: kbChunks.id, section: kbChunks.section, text: kbChunks.text, approvedBy: kbChunks.approvedBy, createdAt: kbChunks.createdAt })
    .from(kbChunks)
    .where(inProject(kbChunks, projectId, eq(kbChunks.customerId, customerId)))
    .orderBy(kbChunks.id)
}

/** Deletes the approved pairs taken from a customer's conversation (their erasure); returns how many. */
export async function eraseCustomerKnowledgePairs(tx: DbOrTx, projectId: number, customerId: number): Promise<number> {
  const [deleted] = await tx.delete(kbChunks).where(inProject(kbChunks, projectId, eq(kbChunks.customerId, customerId)))
  return deleted.affectedRows
}
