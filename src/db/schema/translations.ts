import { char, index, longtext, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, timestamps } from './columns.js'

/**
 * A translation the provider made, cached by the text's SHA-256 and the language pair. Kept per
 * customer (their words are personal data): `customer export` lists them and `forget` deletes them.
 */
export const translations = mysqlTable(
  'translations',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    /** SHA-256 (hex) of the source text. */
    textHash: char('text_hash', { length: 64 }).notNull(),
    sourceLanguage: varchar('source_language', { length: 16 }).notNull(),
    targetLanguage: varchar('target_language', { length: 16 }).notNull(),
    translation: longtext('translation').notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('translations_pair_uq').on(t.projectId, t.customerId, t.textHash, t.sourceLanguage, t.targetLanguage),
    index('translations_customer_idx').on(t.projectId, t.customerId),
  ],
)
