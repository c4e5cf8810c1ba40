import { and, eq, isNull, ne, or } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { kbChunks } from '../../db/schema/index.js'

/**
 * What embeds passages: the project's embedding model (the assistant provider's `embed`, bound
 * by the caller: the domain never calls a provider itself). `embed` answers undefined when the
 * project has no embedding model.
 */
export interface ChunkEmbedder {
  model: string
  embed(texts: string[]): Promise<number[][] | undefined>
}

const BATCH = 32

/** The text a passage is embedded as: its section path, then its text. */
export function embeddingText(section: string, text: string): string {
  return section ? `${section}\n${text}` : text
}

/**
 * Embeds the project's passages that have no embedding of the embedder's model (new ones, or all
 * after a model change), in batches; returns how many were stored. Stops quietly when the
 * embedder answers undefined (no embedding model): retrieval then stays FULLTEXT; stops at a
 * failing call, saying why (the next sync goes on where it stopped).
 */
export async function embedMissing(db: Database, projectId: number, embedder: ChunkEmbedder): Promise<{ stored: number; failed?: string }> {
  const missing = await db
    .select({ id: kbChunks.id, section: kbChunks.section, text: kbChunks.text })
    .from(kbChunks)
    .where(and(eq(kbChunks.projectId, projectId), or(isNull(kbChunks.embeddingModel), ne(kbChunks.embeddingModel, embedder.model))))
    .orderBy(kbChunks.id)
  let stored = 0
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH)
    let vectors: number[][] | undefined
    try {
      vectors = await embedder.embed(batch.map((chunk) => embeddingText(chunk.section, chunk.text)))
    } catch (error) {
      return { stored, failed: error instanceof Error ? error.message : String(error) }
    }
    if (!vectors || vectors.length !== batch.length) return { stored }
    for (const [j, chunk] of batch.entries()) {
      await db
        .update(kbChunks)
        .set({ embedding: JSON.stringify(vectors[j]), embeddingModel: embedder.model })
        .where(eq(kbChunks.id, chunk.id))
      stored++
    }
  }
  return { stored }
}

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    na += a[i]! * a[i]!
    nb += b[i]! * b[i]!
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

/** A stored embedding, or undefined when there is none or it is not a list of numbers. */
export function parseEmbedding(stored: string | null): number[] | undefined {
  if (stored === null) return undefined
  try {
    const value = JSON.parse(stored) as unknown
    return Array.isArray(value) && value.every((x) => typeof x === 'number') ? value : undefined
  } catch {
    return undefined
  }
}
