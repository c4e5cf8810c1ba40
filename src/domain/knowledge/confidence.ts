import type { Passage } from './retrieve.js'

/**
 * The default of `assistant.confidence`: retrieval is confident when its best passage holds at
 * least this share of the question's search terms. Calibrated on the retrieval fixture
 * (test/fixtures/kb/acme, README "Knowledge base"): the right passages of its questions score
 * 0.67 or more for 9 of its 10 questions (0.375 for the longest), the best passages of its off-topic questions at most 0.5.
 */
export const DEFAULT_CONFIDENCE = 0.6

/** What `isConfident` reads of a project: `assistant.confidence` (its config, or the runtime's `config`). */
export type ConfidenceSettings = { assistant?: { confidence?: number | undefined } | undefined }

/**
 * Whether the passages answer the question well enough for the assistant to answer alone: the
 * best passage's `score` (share of the question's terms it holds, the same for FULLTEXT and
 * hybrid retrieval, whatever the embedding model) reaches the project's `assistant.confidence`.
 */
export function isConfident(project: ConfidenceSettings | { config: ConfidenceSettings }, passages: readonly Passage[]): boolean {
  const settings = 'config' in project ? project.config : project
  const threshold = settings.assistant?.confidence ?? DEFAULT_CONFIDENCE
  return passages.length > 0 && Math.max(...passages.map((passage) => passage.score)) >= threshold
}
