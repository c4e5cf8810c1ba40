import type { Database } from '../../db/client.js'
import type { Logger } from '../../logger.js'
import type { ProjectRuntime } from '../project-runtime.js'
import type { ChunkEmbedder } from './embeddings.js'
import { syncKnowledge } from './sync.js'

/**
 * The start-up sync: every project with an `assistant.knowledge` folder brought in line with it
 * (see `syncKnowledge`), one after the other, in the background of the start. A refused file and
 * a missing folder are logged (the service runs on with the passages it has), never thrown.
 */
export async function syncProjectKnowledge(
  db: Database,
  projects: readonly ProjectRuntime[],
  logger: Logger,
  embedderOf: (project: ProjectRuntime) => ChunkEmbedder | undefined = () => undefined,
): Promise<void> {
  for (const project of projects) {
    const folder = project.config.assistant?.knowledge
    if (!folder) continue
    try {
      const embedder = embedderOf(project)
      const report = await syncKnowledge(db, project.id, folder, embedder ? { embedder } : {})
      const { broken, ...counts } = report
      logger.info({ projectId: project.id, folder, ...counts }, 'knowledge base synced')
      for (const file of broken) logger.warn({ projectId: project.id, folder, file: file.source, reason: file.reason }, 'knowledge file refused; its earlier passages are kept')
    } catch (error) {
      logger.warn({ projectId: project.id, folder, err: error }, 'knowledge base not synced')
    }
  }
}
