import { createHash } from 'node:crypto'
import { and, eq, inArray, isNull, notLike } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { kbChunks } from '../../db/schema/index.js'
import { chunkDocument } from './chunking.js'
import { embedMissing, type ChunkEmbedder } from './embeddings.js'
import { readKnowledgeFolder, type BrokenFile } from './folder.js'
import { termsOf } from './terms.js'

/** What a sync did: passages inserted and deleted, those left as they were, the files refused. */
export interface KnowledgeSyncReport {
  files: number
  inserted: number
  deleted: number
  unchanged: number
  /** Passages given an embedding (with an embedding model). */
  embedded: number
  /** Why embedding stopped (the provider failed or its token cap was reached): the passages are searchable by FULLTEXT meanwhile, and the next sync embeds the rest. */
  embeddingFailed?: string
  broken: BrokenFile[]
}

/** The source of a `/kb add` pair: never a file of the folder, so a sync leaves pairs alone. */
export const CONVERSATION_SOURCE = 'conversation:'

/** sha-256 of a passage's section and text: the same passage, the same hash, whatever its place. */
export function chunkHash(section: string, text: string): string {
  return createHash('sha256').update(`${section}\u0000${text}`).digest('hex')
}

/** The index terms stored with a passage: its section's words count too ("Refunds > Damaged items"). */
export function indexTerms(section: string, text: string): string {
  return termsOf(`${section}\n${text}`).join(' ')
}

/**
 * Brings a project's file passages in line with its knowledge folder: a new or changed passage is
 * inserted, one gone from its file (or whose file is gone) deleted, an unchanged one kept (by
 * hash), so a second sync changes nothing. A broken file (see `readKnowledgeFolder`) is refused
 * and its earlier passages kept; the other files sync. One transaction. With an embedder, passages
 * without an embedding of its model are embedded afterwards (outside the transaction).
 */
export async function syncKnowledge(db: Database, projectId: number, folder: string, options: { embedder?: ChunkEmbedder } = {}): Promise<KnowledgeSyncReport> {
  const { files, broken } = readKnowledgeFolder(folder)
  const report: KnowledgeSyncReport = { files: files.length, inserted: 0, deleted: 0, unchanged: 0, embedded: 0, broken }
  await db.transaction(async (tx) => {
    const stored = await tx
      .select({ id: kbChunks.id, source: kbChunks.source, hash: kbChunks.hash, position: kbChunks.position })
      .from(kbChunks)
      .where(and(eq(kbChunks.projectId, projectId), isNull(kbChunks.customerId), notLike(kbChunks.source, `${CONVERSATION_SOURCE}%`)))
      .for('update')
    const keep = new Set(broken.map((file) => file.source))
    const wanted = new Map<string, Map<string, { section: string; text: string; position: number }>>()
    for (const file of files) {
      const chunks = new Map<string, { section: string; text: string; position: number }>()
      for (const [position, chunk] of chunkDocument(file.content, file.kind).entries()) {
        const hash = chunkHash(chunk.section, chunk.text)
        if (!chunks.has(hash)) chunks.set(hash, { ...chunk, position })
      }
      wanted.set(file.source, chunks)
    }
    const gone = stored.filter((row) => !keep.has(row.source) && !wanted.get(row.source)?.has(row.hash)).map((row) => row.id)
    for (let i = 0; i < gone.length; i += 500) await tx.delete(kbChunks).where(inArray(kbChunks.id, gone.slice(i, i + 500)))
    report.deleted = gone.length
    const have = new Map(stored.map((row) => [`${row.source}\u0000${row.hash}`, row]))
    type Placed = { source: string; hash: string; section: string; text: string; position: number; id: number | undefined }
    const fresh = [...wanted].flatMap(([source, chunks]) =>
      [...chunks].flatMap(([hash, chunk]): Placed[] => {
        const old = have.get(`${source}\u0000${hash}`)
        if (old) {
          report.unchanged++
          return old.position === chunk.position ? [] : [{ ...chunk, source, hash, id: old.id }]
        }
        return [{ ...chunk, source, hash, id: undefined }]
      }),
    )
    for (const row of fresh) {
      if (row.id !== undefined) await tx.update(kbChunks).set({ position: row.position }).where(eq(kbChunks.id, row.id))
    }
    const inserts = fresh.filter((row) => row.id === undefined)
    for (let i = 0; i < inserts.length; i += 200) {
      await tx.insert(kbChunks).values(
        inserts.slice(i, i + 200).map((row) => ({
          projectId,
          source: row.source,
          section: row.section.slice(0, 500),
          text: row.text,
          terms: indexTerms(row.section, row.text),
          hash: row.hash,
          position: row.position,
        })),
      )
    }
    report.inserted = inserts.length
  })
  if (options.embedder) {
    const outcome = await embedMissing(db, projectId, options.embedder)
    report.embedded = outcome.stored
    if (outcome.failed !== undefined) report.embeddingFailed = outcome.failed
  }
  return report
}
