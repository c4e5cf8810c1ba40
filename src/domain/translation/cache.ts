import { createHash } from 'node:crypto'
import { asc, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { translations } from '../../db/schema/index.js'
import { inProject, type ProjectScope, projectRow } from '../../db/project-scope.js'

/** A translation's key: whose text (their words are personal data), its SHA-256, and the language pair. */
export interface TranslationKey {
  customerId: number
  text: string
  from: string
  to: string
}

const hashOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** The cached translation of a text for this pair, if the provider made one before. */
export async function cachedTranslation(db: DbOrTx, scope: ProjectScope, key: TranslationKey): Promise<string | undefined> {
  const [row] = await db
    .select({ translation: translations.translation })
    .from(translations)
    .where(
      inProject(
        translations,
        scope.projectId,
        eq(translations.customerId, key.customerId),
        eq(translations.textHash, hashOf(key.text)),
        eq(translations.sourceLanguage, key.from),
        eq(translations.targetLanguage, key.to),
      ),
    )
  return row?.translation
}

/** Caches a translation (a concurrent one for the same key is kept). */
export async function cacheTranslation(db: DbOrTx, scope: ProjectScope, key: TranslationKey, translation: string): Promise<void> {
  await db
    .insert(translations)
    .values(projectRow(translations, scope.projectId, { customerId: key.customerId, textHash: hashOf(key.text), sourceLanguage: key.from, targetLanguage: key.to, translation }))
    .onDuplicateKeyUpdate({ set: { id: sql`id` } })
}

/** A customer's cached translations (`customer export`). */
export async function customerTranslationList(db: DbOrTx, scope: ProjectScope, customerId: number) {
  return db
    .select({ from: translations.sourceLanguage, to: translations.targetLanguage, translation: translations.translation, createdAt: translations.createdAt })
    .from(translations)
    .where(inProject(translations, scope.projectId, eq(translations.customerId, customerId)))
    .orderBy(asc(translations.id))
}

/** Deletes a customer's cached translations (`forget`); returns how many. */
export async function eraseCustomerTranslations(tx: DbOrTx, scope: ProjectScope, customerId: number): Promise<number> {
  const [result] = await tx.delete(translations).where(inProject(translations, scope.projectId, eq(translations.customerId, customerId)))
  return result.affectedRows
}
