import { index, int, mediumtext, mysqlTable, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, telegramId, timestamps } from './columns.js'

/**
 * One passage of a project's knowledge base (issue 19): a section of a Markdown/text file of the
 * project's `assistant.knowledge` folder (`source` its path there), or a question/answer pair a lead
 * approved with `/kb add` (`source` `conversation:<customer id>`, `customerId` set so `forget`
 * finds it). `terms` is the text as the FULLTEXT index reads it (see domain/knowledge/terms.ts);
 * its FULLTEXT index is made by the custom migration `kb_chunks_fulltext` (drizzle-kit has no
 * FULLTEXT). `hash` (sha-256 of section and text) is what a sync compares.
 */
export const kbChunks = mysqlTable(
  'kb_chunks',
  {
    id: primaryId(),
    ...projectScope,
    source: varchar('source', { length: 255 }).notNull(),
    /** The heading path ("Shipping > International"), or the question of a pair. */
    section: varchar('section', { length: 500 }).notNull(),
    text: text('text').notNull(),
    terms: text('terms').notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
    /** Order within its file. */
    position: int('position', { unsigned: true }).notNull().default(0),
    /** JSON array of numbers, from `embeddingModel`; null until embedded (or without an embedding model). */
    embedding: mediumtext('embedding'),
    embeddingModel: varchar('embedding_model', { length: 128 }),
    /** A `/kb add` pair: the customer whose conversation it came from, and the lead who approved it. */
    customerId: rowId('customer_id'),
    approvedBy: telegramId('approved_by'),
    ...timestamps,
  },
  (t) => [uniqueIndex('kb_chunks_source_hash_uq').on(t.projectId, t.source, t.hash), index('kb_chunks_customer_idx').on(t.projectId, t.customerId)],
)
