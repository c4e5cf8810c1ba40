import { and, desc, eq, isNotNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { kbChunks } from '../../db/schema/index.js'
import { cosine, parseEmbedding } from './embeddings.js'
import { searchableTerms, termsOf } from './terms.js'

/**
 * A passage found for a question, with its citation (`source` the file, or `conversation:<id>`
 * for a `/kb add` pair; `section` the heading path) and `score`: the share (0–1) of the
 * question's search terms the passage holds (see `matchScore`), what `isConfident` compares.
 */
export interface Passage {
  id: number
  source: string
  section: string
  text: string
  score: number
}

/** How many candidates each ranking contributes before they are fused. */
export const CANDIDATES = 50
/** The constant of reciprocal rank fusion (60, as Cormack et al. and most search engines use). */
export const RRF_K = 60

type Row = { id: number; source: string; section: string; text: string; terms: string }

/**
 * The passages of the project's knowledge base that best answer `question`, best first (`limit`,
 * 5 by default). FULLTEXT (InnoDB, NATURAL LANGUAGE MODE over the stemmed `terms`) alone; with
 * `embedding` (the question embedded by the project's embedding model) a hybrid: the FULLTEXT
 * ranking and the cosine ranking of the stored embeddings (of the same length) fused by
 * reciprocal rank fusion, Σ 1 / (RRF_K + rank), so neither score's scale matters.
 *
 * A question in another language than the knowledge base's is retrieved through its translation
 * into the staff language: the caller passes the translated text (and its embedding), never the
 * original (the stems here are English).
 */
export async function retrieve(db: DbOrTx, project: number | { id: number }, question: string, options: { limit?: number; embedding?: number[] } = {}): Promise<Passage[]> {
  const projectId = typeof project === 'number' ? project : project.id
  const limit = options.limit ?? 5
  const byText = await fulltextRanking(db, projectId, question)
  const byMeaning = options.embedding ? await embeddingRanking(db, projectId, options.embedding) : []
  const fused = new Map<number, { row: Row; rank: number }>()
  for (const ranking of [byText, byMeaning]) {
    for (const [i, row] of ranking.entries()) {
      const entry = fused.get(row.id) ?? { row, rank: 0 }
      entry.rank += 1 / (RRF_K + i + 1)
      fused.set(row.id, entry)
    }
  }
  const questionTerms = searchableTerms(question)
  return [...fused.values()]
    .sort((a, b) => b.rank - a.rank || a.row.id - b.row.id)
    .slice(0, limit)
    .map(({ row }) => ({ id: row.id, source: row.source, section: row.section, text: row.text, score: matchScore(questionTerms, row.terms) }))
}

/** The share of the question's search terms (3 characters or more, as InnoDB indexes them) found in a passage's terms. */
export function matchScore(questionTerms: ReadonlySet<string>, passageTerms: string): number {
  if (questionTerms.size === 0) return 0
  const held = new Set(passageTerms.split(' '))
  let found = 0
  for (const term of questionTerms) if (held.has(term)) found++
  return Math.round((found / questionTerms.size) * 1000) / 1000
}

async function fulltextRanking(db: DbOrTx, projectId: number, question: string): Promise<Row[]> {
  const query = termsOf(question).join(' ')
  if (query.trim() === '') return []
  const relevance = sql<number>`MATCH(${kbChunks.terms}) AGAINST (${query} IN NATURAL LANGUAGE MODE)`
  // Which rows hold a term, in BOOLEAN MODE (the terms are bare words: no operators): a term in every
  // passage of a tiny table has an IDF, hence a relevance, of 0, and would not pass `relevance > 0`.
  const holdsTerm = sql`MATCH(${kbChunks.terms}) AGAINST (${query} IN BOOLEAN MODE)`
  return db
    .select({ id: kbChunks.id, source: kbChunks.source, section: kbChunks.section, text: kbChunks.text, terms: kbChunks.terms })
    .from(kbChunks)
    .where(and(eq(kbChunks.projectId, projectId), holdsTerm))
    .orderBy(desc(relevance), kbChunks.id)
    .limit(CANDIDATES)
}

async function embeddingRanking(db: DbOrTx, projectId: number, embedding: number[]): Promise<Row[]> {
  const rows = await db
    .select({ id: kbChunks.id, source: kbChunks.source, section: kbChunks.section, text: kbChunks.text, terms: kbChunks.terms, embedding: kbChunks.embedding })
    .from(kbChunks)
    .where(and(eq(kbChunks.projectId, projectId), isNotNull(kbChunks.embedding)))
  return rows
    .flatMap(({ embedding: stored, ...row }) => {
      const vector = parseEmbedding(stored)
      return vector && vector.length === embedding.length ? [{ row, similarity: cosine(vector, embedding) }] : []
    })
    .filter((entry) => entry.similarity > 0)
    .sort((a, b) => b.similarity - a.similarity || a.row.id - b.row.id)
    .slice(0, CANDIDATES)
    .map((entry) => entry.row)
}
