import type { DomainDeps } from '../../domain/deps.js'
import type { ProjectRuntime } from '../../domain/project-runtime.js'
import type { Logger } from '../../logger.js'
import type { AssistantProvider } from '../provider.js'

/** A direct `sendMessageDraft` call by a bot into a private chat (the app's gateway; absent: no drafts). */
export type DraftSender = (botId: number, chatId: number, draftId: number, text: string) => Promise<void>

/** What a job's handler gets: its project, the project's provider and the domain's dependencies. */
export interface AssistantJobContext {
  jobId: number
  project: ProjectRuntime
  provider: AssistantProvider
  deps: DomainDeps
  logger: Logger
  /** Streams drafts to a client (answer mode). */
  drafts?: DraftSender
}

/**
 * One kind of assistant job (`src/assistant/jobs/<kind>.ts`, listed in `jobs/index.ts`). `run`
 * returns what the worker records with the job (small JSON, or nothing); an `AssistantUnavailable`
 * it throws ends the job quietly with its reason, any other error is retried a few times.
 */
export interface AssistantJobHandler {
  kind: string
  run(ctx: AssistantJobContext, payload: unknown): Promise<unknown>
}

/** A handler whose payload is typed (the domain queued it with `queueAssistantJob`). */
export function defineAssistantJob<P>(kind: string, run: (ctx: AssistantJobContext, payload: P) => Promise<unknown>): AssistantJobHandler {
  return { kind, run: (ctx, payload) => run(ctx, payload as P) }
}
