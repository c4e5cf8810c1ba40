import type { Context } from 'grammy'
import type { DomainDeps } from '../../domain/deps.js'
import type { BotRef, ProjectRuntime } from '../../domain/project-runtime.js'
import type { Logger } from '../../logger.js'

/** grammY context with what every feature needs: the project, this bot, a per-update logger. */
export type BotContext = Context & {
  project: ProjectRuntime
  self: BotRef
  deps: DomainDeps
  log: Logger
}
