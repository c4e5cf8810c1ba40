import { wordsOf } from './answers.js'

export const EMBEDDING_DIMENSIONS = 256

/** FNV-1a, 32 bits: a stable hash of a word. */
function hash(word: string): number {
  let h = 0x811c9dc5
  for (const char of word) {
    h ^= char.codePointAt(0)!
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * The fake's embedding: a bag of lowercased words hashed into 256 dimensions, L2-normalised, so
 * texts sharing words are near (cosine = dot product). An empty text is the zero vector.
 */
export function embedText(text: string): number[] {
  const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0)
  for (const word of wordsOf(text)) vector[hash(word) % EMBEDDING_DIMENSIONS]! += 1
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0))
  return norm === 0 ? vector : vector.map((x) => x / norm)
}
