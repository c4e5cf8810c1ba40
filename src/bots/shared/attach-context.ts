import type { MiddlewareFn } from 'grammy'
import type { DomainDeps } from '../../domain/deps.js'
import type { BotRef, ProjectRuntime } from '../../domain/project-runtime.js'
import type { Logger } from '../../logger.js'
import type { BotContext } from './context.js'

export function attachContext(project: ProjectRuntime, self: BotRef, deps: DomainDeps, logger: Logger): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    ctx.project = project
    ctx.self = self
    ctx.deps = deps
    ctx.log = logger.child({ project: project.config.key, bot: self.role, botId: self.id, updateId: ctx.update.update_id })
    return next()
  }
}
