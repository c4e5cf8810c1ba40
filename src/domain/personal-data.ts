import { and, eq, inArray, sql } from 'drizzle-orm'
import { inProject, projectRow } from '../db/project-scope.js'
import type { Database, DbOrTx } from '../db/client.js'
import {
  accounts,
  assignmentLog,
  transferPrompts,
  assignments,
  auditEvents,
  auditLog,
  conversationRatings,
  customerNotes,
  riskPrompts,
  assistantJobs,
  customers,
  customerTags,
  fileCache,
  messages,
  reassignments,
  relayHolds,
  relayLinks,
  topics,
  unansweredWaits,
} from '../db/schema/index.js'
import { waitOf } from './sla/waits.js'
import { customerNoteList, customerTagList } from './crm/profile-extras.js'
import { customerOutboxRows, eraseOutboxRows, tracesOf } from './forget/outbox-rows.js'
import { ERASED_PAYLOAD, parseJson } from './forget/scrub.js'
import { customerUpdates, eraseUpdates } from './forget/stored-updates.js'
import { forgetAssistantJobs } from './assistant/jobs.js'
import { BUILT_IN_TEXTS } from '../texts/index.js'
import { customerLinkData, eraseCustomerClicks } from './links/personal-data.js'
import { customerAnswerList, eraseCustomerAnswers } from './autoreply/answers.js'
import { customerKnowledgePairs, eraseCustomerKnowledgePairs } from './knowledge/pairs.js'
import { customerTranslationList, eraseCustomerTranslations } from './translation/cache.js'
import { customerSuggestions, eraseCustomerSuggestions } from './assistant/personal-data.js'
import { customerAssistantAnswers, eraseCustomerAssistantAnswers } from './assistant/answers.js'

/** Finds a project's customer by row id or by their account's email. */
export async function findCustomerByIdOrEmail(db: DbOrTx, projectId: number, idOrEmail: string) {
  if (/^\d+$/.test(idOrEmail)) {
    const [row] = await db
      .select()
      .from(customers)
      .where(inProject(customers, projectId, eq(customers.id, Number(idOrEmail))))
    return row
  }
  const [row] = await db
    .select({ customer: customers })
    .from(customers)
    .innerJoin(accounts, eq(accounts.id, customers.accountId))
    .where(inProject(customers, projectId, eq(accounts.email, idOrEmail.trim().toLowerCase())))
  return row?.customer
}

/**
 * Everything stored about one customer (a data subject's access request): profile, account,
 * onboarding decision, topics, every message of their conversation with its relay links, the
 * assignment log (with the reasons given for transfers), planned moves, ratings, tags, notes,
 * audit rows and audit events (with their texts), the stored updates that carry them (see `customerUpdates`) and the outbox rows to
 * or about them (see `customerOutboxRows`): what `forgetCustomer` erases. The export itself is
 * recorded in the audit log.
 */
export async function exportCustomerData(db: Database, projectId: number, customerId: number, actor: string, now: Date) {
  const [customer] = await db
    .select()
    .from(customers)
    .where(inProject(customers, projectId, eq(customers.id, customerId)))
  if (!customer) return undefined
  const stored = await db.select().from(messages).where(eq(messages.customerId, customerId)).orderBy(messages.id)
  const links = stored.length
    ? await db
        .select()
        .from(relayLinks)
        .where(
          inArray(
            relayLinks.messageId,
            stored.map((m) => m.id),
          ),
        )
        .orderBy(relayLinks.id)
    : []
  const data = {
    exportedAt: now.toISOString(),
    customer,
    account: customer.accountId ? ((await db.select().from(accounts).where(eq(accounts.id, customer.accountId)))[0] ?? null) : null,
    assignment: (await db.select().from(assignments).where(eq(assignments.customerId, customerId)))[0] ?? null,
    topics: await db.select().from(topics).where(eq(topics.customerId, customerId)).orderBy(topics.id),
    messages: stored.map((m) => ({ ...m, raw: parseJson(m.raw) })),
    relayLinks: links,
    assignmentLog: await db.select().from(assignmentLog).where(eq(assignmentLog.customerId, customerId)).orderBy(assignmentLog.id),
    reassignments: await db.select().from(reassignments).where(eq(reassignments.customerId, customerId)).orderBy(reassignments.id),
    unansweredWait: (await db.select().from(unansweredWaits).where(waitOf(projectId, customerId)))[0] ?? null,
    ratings: await db
      .select()
      .from(conversationRatings)
      .where(inProject(conversationRatings, projectId, eq(conversationRatings.customerId, customerId)))
      .orderBy(conversationRatings.id),
    tags: await customerTagList(db, customer, customerId),
    notes: await customerNoteList(db, customer, customerId),
    /** What they answered in flows (issue 18). */
    answers: await customerAnswerList(db, customer, customerId),
    /** Their question and a staff answer, approved into the knowledge base with `/kb add` (issue 19). */
    knowledgePairs: await customerKnowledgePairs(db, projectId, customerId),
    /** Translations of their messages and of staff replies to them, cached (issue 19). */
    translations: await customerTranslationList(db, customer, customerId),
    /** Replies the assistant suggested to staff in their conversation (suggest mode, issue 19). */
    suggestions: await customerSuggestions(db, projectId, customerId),
    /** The assistant's automatic answers to them, with their sources and whether they were handed over (answer mode). */
    assistantAnswers: await customerAssistantAnswers(db, projectId, customerId),
    /** Risk-phrase prompts held for the staff's confirmation: the held text (erased by forget). */
    riskPrompts: await db
      .select()
      .from(riskPrompts)
      .where(inProject(riskPrompts, projectId, eq(riskPrompts.customerId, customerId)))
      .orderBy(riskPrompts.id),
    /** Assistant jobs about them (a translation's or an /ask's text in the payload; emptied by forget). */
    assistantJobs: await db
      .select()
      .from(assistantJobs)
      .where(inProject(assistantJobs, projectId, eq(assistantJobs.customerId, customerId)))
      .orderBy(assistantJobs.id),
    /** /transfer prompts still open: the transfer's note (deleted by forget). */
    transferPrompts: await db.select().from(transferPrompts).where(eq(transferPrompts.customerId, customerId)).orderBy(transferPrompts.id),
    auditLog: (
      await db
        .select()
        .from(auditLog)
        .where(inProject(auditLog, projectId, eq(auditLog.customerId, customerId)))
        .orderBy(auditLog.id)
    ).map((a) => ({ ...a, details: parseJson(a.details) })),
    auditEvents: (
      await db
        .select()
        .from(auditEvents)
        .where(inProject(auditEvents, projectId, eq(auditEvents.customerId, customerId)))
        .orderBy(auditEvents.id)
    ).map((a) => ({ ...a, details: parseJson(a.details) })),
    updates: (await customerUpdates(db, customer)).map((u) => ({ ...u, payload: parseJson(u.payload) })),
    outbox: (await customerOutboxRows(db, customer, await tracesOf(db, customer))).map((row) => ({ ...row, job: parseJson(row.job), result: parseJson(row.result) })),
    // The diversion link clicks they started the bot with (address, user agent) and where they came from.
    ...(await customerLinkData(db, customer, customerId)),
  }
  await db.insert(auditLog).values(projectRow(auditLog, projectId, { action: 'customer_exported', customerId, details: JSON.stringify({ by: actor }) }))
  return data
}

export interface ForgetReport {
  messages: number
  fileCacheEntries: number
  /** Stored updates of their private chat, of their topics and of their onboarding card. */
  updates: number
  /** Outbox rows to them or about them (cards, notices, copies): texts and results scrubbed, unsent ones cancelled. */
  outboxRows: number
  /** Staff notes on the profile (free text about the person): deleted. */
  notes: number
  /** Tags on the profile: deleted. */
  tags: number
  /** Diversion link clicks they started the bot with: address, user agent, referrer and parameters erased. */
  linkClicks: number
  /** Question/answer pairs of their conversation in the knowledge base (`/kb add`): deleted. */
  knowledgePairs: number
  /** Cached translations of their messages and of the replies to them: deleted. */
  translations: number
  /** Suggested replies of their conversation: texts erased (the fates stay for /stats). */
  suggestions: number
  /** The assistant's automatic answers to them: text and sources erased (the rows stay for the handover rate). */
  assistantAnswers: number
}

/**
 * Erases a customer's personal data (a right-to-erasure request) in one transaction: the content
 * of every message of their conversation (text, captions, raw payload), the attribution headers
 * of its copies, the file cache entries of their files, the stored updates that carry them (see
 * `customerUpdates`) with their errors, their outbox rows (see `customerOutboxRows`), their
 * profile fields, the staff's notes and tags on their profile (deleted), the reasons given for
 * their transfers (in the assignment log and the audit events, with the audit texts of deletes
 * and API writes), the errors of their reassignments, the names of their topics and what their
 * diversion link clicks say about them (address, user agent). The rows
 * themselves stay (ids, kinds, times, states), so counts and the delivery history remain,
 * anonymous. Their account record (imported) stays. Recorded in the audit log.
 */
export async function forgetCustomer(db: Database, projectId: number, customerId: number, actor: string): Promise<ForgetReport | undefined> {
  return db.transaction(async (tx) => {
    const [customer] = await tx
      .select()
      .from(customers)
      .where(inProject(customers, projectId, eq(customers.id, customerId)))
      .for('update')
    if (!customer) return undefined
    const tgId = customer.telegramUserId
    const stored = await tx.select({ id: messages.id, raw: messages.raw }).from(messages).where(eq(messages.customerId, customerId))
    const fileIds = [...new Set(stored.flatMap((m) => fileUniqueIdsIn(parseJson(m.raw))))]
    if (stored.length) {
      await tx.update(messages).set({ text: null, raw: ERASED_PAYLOAD }).where(eq(messages.customerId, customerId))
      await tx
        .update(relayLinks)
        .set({ header: null, variant: null })
        .where(
          inArray(
            relayLinks.messageId,
            stored.map((m) => m.id),
          ),
        )
      // A held message or version keeps nothing of them either (never released once forgotten).
      await tx
        .update(relayHolds)
        .set({ resume: '{}', reason: '', state: 'discarded' })
        .where(
          inArray(
            relayHolds.messageId,
            stored.map((m) => m.id),
          ),
        )
    }
    const [files] = fileIds.length ? await tx.delete(fileCache).where(inArray(fileCache.fileUniqueId, fileIds)) : [{ affectedRows: 0 }]
    // Found before the profile loses its username: it identifies rows.
    const traces = await tracesOf(tx, customer)
    const outboxRows = await eraseOutboxRows(tx, await customerOutboxRows(tx, customer, traces), tgId)
    const updateCount = await eraseUpdates(tx, await customerUpdates(tx, customer))
    await tx
      .update(customers)
      .set({ firstName: '', lastName: null, username: null, languageCode: null, detectedLanguage: null, startPayload: null, forgottenAt: sql`CURRENT_TIMESTAMP(3)` })
      .where(eq(customers.id, customerId))
    await tx
      .update(topics)
      .set({ name: BUILT_IN_TEXTS.staff('forgottenTopicName', { id: customerId }) })
      .where(eq(topics.customerId, customerId))
    const [notes] = await tx.delete(customerNotes).where(eq(customerNotes.customerId, customerId))
    const [tags] = await tx.delete(customerTags).where(eq(customerTags.customerId, customerId))
    await eraseCustomerAnswers(tx, { projectId }, customerId)
    const erasedTranslations = await eraseCustomerTranslations(tx, { projectId }, customerId)
    await tx.update(assignmentLog).set({ note: null }).where(eq(assignmentLog.customerId, customerId))
    await tx.delete(transferPrompts).where(eq(transferPrompts.customerId, customerId))
    await tx
      .update(assignmentLog)
      .set({ actorUserId: null })
      .where(and(eq(assignmentLog.customerId, customerId), eq(assignmentLog.actorUserId, tgId)))
    await tx
      .update(auditLog)
      .set({ actorUserId: null })
      .where(and(eq(auditLog.customerId, customerId), eq(auditLog.actorUserId, tgId)))
    // The audit trail keeps who did what to whom and when; the texts (a transfer's reason, a deleted or API-written message) go.
    await tx
      .update(auditEvents)
      .set({ text: null })
      .where(inProject(auditEvents, projectId, eq(auditEvents.customerId, customerId)))
    await tx.update(reassignments).set({ error: null }).where(eq(reassignments.customerId, customerId))
    // Assistant work about them (its payload may quote their messages).
    await forgetAssistantJobs(tx, projectId, customerId)
    // A held staff message's risk prompt keeps its text until then.
    await tx
      .update(riskPrompts)
      .set({ text: null })
      .where(inProject(riskPrompts, projectId, eq(riskPrompts.customerId, customerId)))
    const report: ForgetReport = {
      messages: stored.length,
      fileCacheEntries: files.affectedRows,
      updates: updateCount,
      outboxRows,
      notes: notes.affectedRows,
      tags: tags.affectedRows,
      linkClicks: await eraseCustomerClicks(tx, customer, customerId),
      knowledgePairs: await eraseCustomerKnowledgePairs(tx, projectId, customerId),
      translations: erasedTranslations,
      suggestions: await eraseCustomerSuggestions(tx, projectId, customerId),
      assistantAnswers: await eraseCustomerAssistantAnswers(tx, projectId, customerId),
    }
    await tx.insert(auditLog).values(projectRow(auditLog, projectId, { action: 'customer_forgotten', customerId, details: JSON.stringify({ by: actor, ...report }) }))
    return report
  })
}

/** Every file_unique_id in a stored message (photo sizes, document, voice, …), wherever it sits. */
function fileUniqueIdsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(fileUniqueIdsIn)
  if (!value || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => (key === 'file_unique_id' && typeof inner === 'string' ? [inner] : fileUniqueIdsIn(inner)))
}
