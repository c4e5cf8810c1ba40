import { autoRetry } from '@grammyjs/auto-retry'
import { apiThrottler } from '@grammyjs/transformer-throttler'
import { Bot } from 'grammy'
import type { DomainDeps } from '../domain/deps.js'
import type { BotRef, BotRole, ProjectRuntime } from '../domain/project-runtime.js'
import type { Logger } from '../logger.js'
import { clientBotFeatures } from './client/index.js'
import { attachContext } from './shared/attach-context.js'
import type { BotContext } from './shared/context.js'
import { handleStoredUpdate, type UpdateOutcome } from './ingress/handle-stored-update.js'
import { staffBotFeatures } from './staff/index.js'
import { roleDefinition } from '../domain/roles.js'

export interface BotSpec {
  token: string
  role: BotRole
  /** First bot of a pool: the one that listens to its group. */
  primary: boolean
}

/** The bot id a token starts with (`123456:ABC…`; the config checks the format). */
export function botIdOfToken(token: string): number {
  const id = Number(/^(\d+):/.exec(token)?.[1])
  if (!Number.isSafeInteger(id)) throw new Error('a bot token starts with the bot id and a colon (123456:ABC…)')
  return id
}

/**
 * A grammY bot for one token, pointed at the configured Bot API server. Its own Api serves
 * getUpdates and the adapters' direct answers (callback answers, command replies): the
 * throttler spaces those, auto-retry (installed last, so outermost) retries them briefly.
 * Relayed traffic never uses this Api: it goes through the outbox and its planner.
 * When Telegram refuses the token (or cannot be reached), the bot comes back uninitialised with
 * `initError`: its id is the token's, its username unknown until polling's getMe succeeds.
 */
export async function createBot(spec: BotSpec, apiRoot: string, options: { throttle: boolean }): Promise<{ bot: Bot<BotContext>; self: BotRef; initError?: unknown }> {
  const bot = new Bot<BotContext>(spec.token, { client: { apiRoot } })
  if (options.throttle) bot.api.config.use(apiThrottler())
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10 }))
  try {
    await bot.init()
  } catch (initError) {
    return { bot, self: { id: botIdOfToken(spec.token), role: spec.role, username: '' }, initError }
  }
  return { bot, self: { id: bot.botInfo.id, role: spec.role, username: bot.botInfo.username } }
}

/**
 * Mounts the features of a bot's role: the update is stored and handled with retries inside an
 * error boundary, so a failure is recorded on the update row first and then logged with its ids.
 */
export function installFeatures(
  bot: Bot<BotContext>,
  project: ProjectRuntime,
  self: BotRef,
  spec: BotSpec,
  deps: DomainDeps,
  logger: Logger,
  observe?: (botId: number, outcome: UpdateOutcome) => void,
): void {
  bot.use(attachContext(project, self, deps, logger))
  const features = spec.role === 'client' ? clientBotFeatures() : staffBotFeatures({ role: roleDefinition(project.roles, spec.role), listens: spec.primary })
  bot.errorBoundary(
    (error) => {
      const ctx = error.ctx
      ctx.log.error({ err: error.error, update: ctx.update }, 'update handling failed')
    },
    handleStoredUpdate(features, observe),
  )
  bot.catch((error) => {
    logger.error({ err: error.error, updateId: error.ctx.update.update_id, botId: self.id }, 'unhandled bot error')
  })
}
