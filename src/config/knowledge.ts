import { isAbsolute, resolve } from 'node:path'
import { z } from 'zod'

/**
 * The knowledge base's keys of `projects[].assistant` (issue 19, h/kb), spread into the
 * provider's override in `assistant.ts` (`confidence` also deployment-wide).
 */
export const knowledgeFields = {
  /** The project's knowledge folder of Markdown/text files (relative to the config file), synced on start and by `npm run kb -- sync`. */
  knowledge: z.string().min(1).optional(),
  /**
   * The share (0–1) of a question's search terms the best passage must hold for retrieval to be
   * confident (answer mode answers alone only then); default 0.6, calibrated on the retrieval
   * fixture (README "Knowledge base").
   */
  confidence: z.number().min(0).max(1).optional(),
}

/** Each project's knowledge folder made absolute, relative to the config file's folder (like `flowsFile`). */
export function resolveKnowledgeFolders<T extends { projects: { assistant?: { knowledge?: string | undefined } | undefined }[] }>(config: T, baseDir: string): T {
  for (const project of config.projects) {
    const folder = project.assistant?.knowledge
    if (folder !== undefined && !isAbsolute(folder)) project.assistant!.knowledge = resolve(baseDir, folder)
  }
  return config
}
