/** Starting the assistant: its providers, its job worker, the language detector and the knowledge sync. */
import { knowledgeEmbedder } from './assistant/knowledge.js'
import { ASSISTANT_JOBS, type AssistantJobHandler } from './assistant/jobs/index.js'
import { AssistantRuntime } from './assistant/runtime.js'
import { AssistantWorker } from './assistant/worker.js'
import type { Database } from './db/client.js'
import type { TelegramGateway } from './delivery/gateway.js'
import type { DomainDeps } from './domain/deps.js'
import { syncProjectKnowledge } from './domain/knowledge/sync-projects.js'
import type { ProjectRuntime } from './domain/project-runtime.js'
import { loadDetector } from './domain/translation/detect.js'
import type { Logger } from './logger.js'
import type { Metrics } from './server/metrics.js'

export interface RunningAssistant {
  worker: AssistantWorker
  runtime: AssistantRuntime
  /** The start-up sync of the projects' knowledge folders (runs in the background). */
  knowledge: Promise<void>
}

/**
 * Assistant work runs on its own queue (`assistant_jobs`), so a slow provider never holds up the
 * relay; the worker is idle when no project has an assistant. Answer mode streams drafts straight
 * from the client bot (a draft is no message: not the outbox).
 */
export async function startAssistant(options: {
  db: Database
  deps: DomainDeps
  logger: Logger
  projects: ProjectRuntime[]
  metrics: Metrics
  gateway: TelegramGateway
  extraJobs?: readonly AssistantJobHandler[]
}): Promise<RunningAssistant> {
  const { db, deps, logger, projects, gateway } = options
  const runtime = new AssistantRuntime({ db, domain: deps, observer: options.metrics })
  const worker = new AssistantWorker({
    db,
    domain: deps,
    logger,
    projects,
    runtime,
    handlers: [...ASSISTANT_JOBS, ...(options.extraJobs ?? [])],
    drafts: (botId, chatId, draftId, text) =>
      gateway
        .api(botId)
        .sendMessageDraft(chatId, draftId, text)
        .then(() => undefined),
  })
  worker.start()
  // Translation's language detector loads once here, not inside the first client message's transaction.
  if (projects.some((project) => project.config.translation)) await loadDetector()
  // Each project's knowledge folder, embedded by its embedding model when it has one.
  const knowledge = syncProjectKnowledge(db, projects, logger, (project) => knowledgeEmbedder(runtime.providerFor(project), project.config.assistant))
  return { worker, runtime, knowledge }
}
